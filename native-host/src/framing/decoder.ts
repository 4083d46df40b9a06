/**
 * Incremental decoder for native-messaging frames (docs/PROTOCOL.md): a 4-byte little-endian length,
 * then that many bytes of body. Chunks are kept in a list and copied once into the frame that
 * needs them (never `Buffer.concat` per chunk, which is quadratic on a frame split into many
 * small reads). The declared length is judged from the prefix alone, BEFORE any body byte is
 * waited for, so a hostile length can neither stall the host nor make it buffer 4 GiB.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { MAX_REQUEST_BYTES } from '@jpki-bridge/shared/constants';

export type DecodeEvent =
  | { type: 'frame'; body: Uint8Array }
  /** The framing is broken beyond repair: answer (id null) and stop reading. */
  | { type: 'fatal'; error: JpkiError };

const PREFIX_BYTES = 4;

export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  /** Index of the first unconsumed chunk, and how far into it we are (avoids Array#shift). */
  private head = 0;
  private headOffset = 0;
  private buffered = 0;
  /** Body length announced by the last prefix, while its body is awaited. */
  private bodyLength: number | null = null;
  private broken = false;

  constructor(private readonly maxBodyBytes: number = MAX_REQUEST_BYTES) {}

  /** Bytes received but not yet part of a complete frame (non-zero at EOF = a truncated frame). */
  get pendingBytes(): number {
    return this.buffered + (this.bodyLength !== null ? PREFIX_BYTES : 0);
  }

  get isBroken(): boolean {
    return this.broken;
  }

  /** Feed one chunk; returns every event it completes, in order. After a fatal event, nothing more. */
  push(chunk: Uint8Array): DecodeEvent[] {
    if (this.broken || chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const events: DecodeEvent[] = [];
    for (;;) {
      if (this.bodyLength === null) {
        if (this.buffered < PREFIX_BYTES) break;
        const prefix = this.take(PREFIX_BYTES);
        // >>> 0: the prefix is unsigned; 0xFFFFFFFF must read as 4 GiB, not -1.
        const length = (prefix[0]! | (prefix[1]! << 8) | (prefix[2]! << 16) | (prefix[3]! << 24)) >>> 0;
        if (length === 0) return this.fail(events, new JpkiError('ERR_JPKI_INVALID_REQUEST', 'frame declares length 0'));
        if (length > this.maxBodyBytes) {
          return this.fail(events, new JpkiError('ERR_JPKI_MESSAGE_TOO_LARGE', `frame declares ${length} bytes; the limit is ${this.maxBodyBytes}`));
        }
        this.bodyLength = length;
      }
      if (this.buffered < this.bodyLength) break;
      const body = this.take(this.bodyLength);
      this.bodyLength = null;
      events.push({ type: 'frame', body });
    }
    this.compact();
    return events;
  }

  private fail(events: DecodeEvent[], error: JpkiError): DecodeEvent[] {
    this.broken = true;
    this.chunks = [];
    this.head = this.headOffset = this.buffered = 0;
    events.push({ type: 'fatal', error });
    return events;
  }

  /** Removes and returns the next n bytes (n ≤ buffered): a view when one chunk holds them, else one copy. */
  private take(n: number): Uint8Array {
    const first = this.chunks[this.head]!;
    if (first.length - this.headOffset >= n) {
      const out = first.subarray(this.headOffset, this.headOffset + n);
      this.advance(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[this.head]!;
      const count = Math.min(n - filled, chunk.length - this.headOffset);
      out.set(chunk.subarray(this.headOffset, this.headOffset + count), filled);
      // The copy is what the session zeroes after parsing; wipe the bytes it was made from (a body may hold a PIN).
      chunk.fill(0, this.headOffset, this.headOffset + count);
      filled += count;
      this.advance(count);
    }
    return out;
  }

  private advance(n: number): void {
    this.buffered -= n;
    this.headOffset += n;
    if (this.headOffset === this.chunks[this.head]!.length) {
      this.head++;
      this.headOffset = 0;
    }
  }

  /** Drop consumed chunks once in a while, so the list stays short without O(n) shifts per frame. */
  private compact(): void {
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
