/**
 * One native-messaging session (docs/PROTOCOL.md): hello first, then requests answered strictly in
 * order. Framing faults that leave the stream in sync (bad UTF-8, bad JSON, a non-object, bad
 * keys) are answered and the session goes on; a length prefix of 0 or over 64 KiB cannot be
 * resynchronised, so it is answered (id null) and the session ends. On EOF the current
 * operation finishes, every reply is flushed, and the session ends with 0.
 */
import type { Readable } from 'node:stream';
import { JpkiError, serializeError } from '@jpki-bridge/shared/errors';
import { parseNativeRequest, RequestError } from '@jpki-bridge/shared/protocol/validate';
import type { CommandContext } from '../commands/context.ts';
import { FrameDecoder } from '../framing/decoder.ts';
import { encodeReply, helloFrame, type ReplyId } from '../framing/encoder.ts';
import { dispatch } from './dispatch.ts';
import type { Logger } from './logger.ts';

export interface SessionOptions {
  input: Readable;
  /** Writes one frame; resolves once it is handed to the OS (rejects when the reader is gone). */
  write: (frame: Uint8Array) => Promise<void>;
  context: CommandContext;
  log: Logger;
  /** false when the caller already wrote the hello (the CLI does, to answer as early as possible). */
  sayHello?: boolean;
}

type Item = { type: 'frame'; body: Uint8Array } | { type: 'fatal'; error: JpkiError } | { type: 'truncated' };

/** Requests buffered while one runs; beyond this stdin is paused (the browser waits, memory stays bounded). */
const HIGH_WATER = 16;
/** Exit code after a framing fault that cannot be recovered (the answer was sent first). */
export const EXIT_PROTOCOL_ERROR = 1;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function serve({ input, write, context, log, sayHello = true }: SessionOptions): Promise<number> {
  const decoder = new FrameDecoder();
  const queue: Item[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  const onData = (chunk: Uint8Array) => {
    for (const event of decoder.push(chunk)) {
      if (event.type === 'frame') queue.push({ type: 'frame', body: event.body });
      else {
        queue.push({ type: 'fatal', error: event.error });
        stopReading(); // nothing after a broken prefix can be trusted; do not even buffer it
      }
    }
    if (queue.length >= HIGH_WATER) input.pause();
    notify();
  };
  const onEnd = () => {
    if (!ended && !decoder.isBroken && decoder.pendingBytes > 0) queue.push({ type: 'truncated' });
    ended = true;
    notify();
  };
  const stopReading = () => {
    input.off('data', onData);
    input.pause();
    ended = true;
  };
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('error', onEnd);
  input.on('close', onEnd);

  const send = async (frame: Uint8Array) => write(frame);
  try {
    if (sayHello) await send(helloFrame());
    for (;;) {
      const item = queue.shift();
      if (!item) {
        if (ended) return 0;
        input.resume();
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (item.type === 'fatal') {
        log.info(`framing fault: ${item.error.code}; closing`);
        await send(errorFrame(null, item.error));
        return EXIT_PROTOCOL_ERROR;
      }
      if (item.type === 'truncated') {
        log.info('input ended inside a frame');
        await send(errorFrame(null, new JpkiError('ERR_JPKI_INVALID_REQUEST', 'input ended inside a frame')));
        return 0;
      }
      await send(await answer(item.body, context, log));
    }
  } catch (error) {
    // Only the writer throws here: the browser closed our stdout. Nobody is left to answer.
    log.info(`output closed: ${(error as Error).message}`);
    return 0;
  } finally {
    input.off('data', onData);
  }
}

/** One frame body → the reply frame. Never throws: every failure becomes a typed error. */
export async function answer(body: Uint8Array, context: CommandContext, log: Logger): Promise<Uint8Array> {
  let id: ReplyId = null;
  const started = Date.now();
  let command = '?';
  try {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      throw new RequestError(null, new JpkiError('ERR_JPKI_INVALID_REQUEST', 'the frame is not UTF-8'));
    } finally {
      body.fill(0); // the body may hold a PIN
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      throw new RequestError(null, new JpkiError('ERR_JPKI_INVALID_REQUEST', 'the frame is not JSON'));
    }
    const request = parseNativeRequest(message);
    id = request.id;
    command = request.command;
    const result = await dispatch(request, context);
    log.info(`#${id} ${command} ok ${Date.now() - started} ms`);
    return encodeReply({ id, result });
  } catch (caught) {
    if (caught instanceof RequestError) id = caught.id;
    const error = caught instanceof RequestError ? caught.error : caught;
    if (!(error instanceof JpkiError)) log.info(`#${id} ${command} internal error: ${(error as Error)?.stack ?? String(error)}`);
    else log.info(`#${id} ${command} ${error.code} ${Date.now() - started} ms`);
    return errorFrame(id, error);
  }
}

function errorFrame(id: ReplyId, error: unknown): Uint8Array {
  return encodeReply({ id, error: serializeError(error) });
}
