/**
 * Frame encoding (docs/PROTOCOL.md). The host never writes a frame over 1 MiB: Chrome would drop the
 * connection. A reply that would exceed it is replaced by a typed error with the same id.
 */
import { JpkiError, serializeError } from '@jpki-bridge/shared/errors';
import { MAX_RESPONSE_BYTES, PROTOCOL_VERSION } from '@jpki-bridge/shared/constants';
import { VERSION } from '@jpki-bridge/shared/version';

const encoder = new TextEncoder();

/** message → length prefix + UTF-8 JSON, or null when it would exceed `maxBodyBytes`. */
export function encodeFrame(message: unknown, maxBodyBytes: number = MAX_RESPONSE_BYTES): Uint8Array | null {
  const body = encoder.encode(JSON.stringify(message));
  if (body.length > maxBodyBytes) return null;
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setUint32(0, body.length, true);
  frame.set(body, 4);
  return frame;
}

export type ReplyId = number | null;

/** The frame for a reply; when the reply is too large, the frame of ERR_JPKI_MESSAGE_TOO_LARGE instead. */
export function encodeReply(reply: { id: ReplyId } & Record<string, unknown>, maxBodyBytes: number = MAX_RESPONSE_BYTES): Uint8Array {
  const frame = encodeFrame(reply, maxBodyBytes);
  if (frame) return frame;
  const error = new JpkiError('ERR_JPKI_MESSAGE_TOO_LARGE', `the reply would exceed ${maxBodyBytes} bytes`);
  return encodeFrame({ id: reply.id, error: serializeError(error) }, maxBodyBytes)!;
}

/** The host's first frame: its version and the protocol it speaks (helloSchema). */
export function helloFrame(): Uint8Array {
  return encodeFrame({ type: 'hello', version: VERSION, protocol: PROTOCOL_VERSION })!;
}
