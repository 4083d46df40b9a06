/**
 * A session with the native host (docs/PROTOCOL.md): connect, wait for `hello`, check the protocol,
 * then requests answered in order by id. Every reply is validated with the shared schemas.
 * One session per operation; `close()` is called on every path by the caller (see withSession).
 */
import * as v from 'valibot';
import { ERROR_MESSAGES, JpkiError, deserializeError } from '@jpki-bridge/shared/errors';
import { PROTOCOL_VERSION } from '@jpki-bridge/shared/constants';
import { type Command, type CommandArguments, type CommandResult, commandResultSchemas, helloSchema, replySchema } from '@jpki-bridge/shared/protocol/native';
import type { NativeChannel, NativeConnector } from './channel.ts';

export interface SessionOptions {
  /** How long the host may take to say hello (Node start-up on a slow machine). */
  helloTimeoutMs?: number;
  /** How long one request may take once the PIN is in (card I/O, not the user). */
  requestTimeoutMs?: number;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: JpkiError) => void; timer: ReturnType<typeof setTimeout> };

export class NativeSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private failure: JpkiError | null = null;

  private constructor(
    private readonly channel: NativeChannel,
    readonly hostVersion: string,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Connects and completes the hello handshake, or throws NATIVE_UNAVAILABLE / VERSION_MISMATCH. */
  static open(connect: NativeConnector, options: SessionOptions = {}): Promise<NativeSession> {
    const helloTimeoutMs = options.helloTimeoutMs ?? 15_000;
    const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    let channel: NativeChannel;
    try {
      channel = connect();
    } catch (error) {
      return Promise.reject(unavailable(error instanceof Error ? error.message : undefined));
    }
    return new Promise<NativeSession>((resolve, reject) => {
      let session: NativeSession | null = null;
      const timer = setTimeout(() => {
        channel.close();
        reject(unavailable('the host did not say hello'));
      }, helloTimeoutMs);

      channel.onMessage((message) => {
        if (session) return session.onReply(message);
        clearTimeout(timer);
        const hello = v.safeParse(helloSchema, message);
        if (!hello.success) {
          channel.close();
          return reject(new JpkiError('ERR_JPKI_VERSION_MISMATCH', 'The host did not start with a valid hello.'));
        }
        if (hello.output.protocol !== PROTOCOL_VERSION) {
          channel.close();
          return reject(
            new JpkiError(
              'ERR_JPKI_VERSION_MISMATCH',
              `${ERROR_MESSAGES.ERR_JPKI_VERSION_MISMATCH.en} (host protocol ${hello.output.protocol}, extension ${PROTOCOL_VERSION})`,
            ),
          );
        }
        session = new NativeSession(channel, hello.output.version, requestTimeoutMs);
        resolve(session);
      });

      channel.onDisconnect((reason) => {
        if (session) return session.onDisconnect(reason);
        clearTimeout(timer);
        reject(unavailable(reason));
      });
    });
  }

  request<C extends Command>(command: C, args: CommandArguments<C>, timeoutMs = this.requestTimeoutMs): Promise<CommandResult<C>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new JpkiError('ERR_JPKI_UNKNOWN', 'The native session is closed.'));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new JpkiError('ERR_JPKI_CARD_ERROR', `The host did not answer ${command} in time.`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.channel.send({ id, command, arguments: args });
    }).then((result) => {
      const parsed = v.safeParse(commandResultSchemas[command], result);
      if (!parsed.success) throw new JpkiError('ERR_JPKI_UNKNOWN', `The host sent a malformed ${command} result.`);
      return parsed.output as CommandResult<C>;
    });
  }

  /** Idempotent; rejects whatever is still pending. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
    this.rejectAll(new JpkiError('ERR_JPKI_UNKNOWN', 'The native session was closed.'));
  }

  private onReply(message: unknown): void {
    const reply = v.safeParse(replySchema, message);
    const id = reply.success ? reply.output.id : (message as { id?: unknown } | null)?.id;
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!pending || typeof id !== 'number') return; // a stray frame cannot be matched to a request
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (!reply.success) {
      // An error code this extension does not know (a newer host) still ends the request.
      pending.reject(deserializeError((message as { error?: unknown }).error));
    } else if ('error' in reply.output) pending.reject(deserializeError(reply.output.error));
    else pending.resolve(reply.output.result);
  }

  private onDisconnect(reason: string | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = unavailable(reason ?? 'the host exited');
    this.rejectAll(this.failure);
  }

  private rejectAll(error: JpkiError): void {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
  }
}

/** Opens a session, runs `fn`, and closes the port whatever happens. */
export async function withSession<T>(connect: NativeConnector, fn: (session: NativeSession) => Promise<T>, options?: SessionOptions): Promise<T> {
  const session = await NativeSession.open(connect, options);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}

/** A missing or broken host: its own error with its own advice (install, then doctor). */
export function unavailable(reason: string | undefined): JpkiError {
  const base = ERROR_MESSAGES.ERR_JPKI_NATIVE_UNAVAILABLE.en;
  return new JpkiError('ERR_JPKI_NATIVE_UNAVAILABLE', reason ? `${base} (${reason.slice(0, 200)})` : base);
}
