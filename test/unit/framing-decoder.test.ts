import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, type DecodeEvent } from '../../native-host/src/framing/decoder.ts';
import { encodeFrame, encodeReply } from '../../native-host/src/framing/encoder.ts';

function prefix(length: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, length, true);
  return out;
}

function framed(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set(prefix(body.length), 0);
  out.set(body, 4);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.slice(last, point));
    last = point;
  }
  return out;
}

function feed(decoder: FrameDecoder, chunks: Uint8Array[]): DecodeEvent[] {
  return chunks.flatMap((c) => decoder.push(c));
}

describe('FrameDecoder', () => {
  it('any chunking of the input yields the same frames (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (bodies, cuts) => {
          const stream = concat(bodies.map(framed));
          const events = feed(new FrameDecoder(), chunk(stream, cuts));
          expect(events.map((e) => (e.type === 'frame' ? Array.from(e.body) : e.type))).toEqual(bodies.map((b) => Array.from(b)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw and never buffer past the limit (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 20 }), fc.integer({ min: 1, max: 512 }), (bytes, cuts, limit) => {
        const decoder = new FrameDecoder(limit);
        const events = feed(decoder, chunk(bytes, cuts));
        const fatal = events.findIndex((e) => e.type === 'fatal');
        // Nothing after a fatal event; every frame within the limit and non-empty.
        if (fatal >= 0) expect(fatal).toBe(events.length - 1);
        for (const e of events) if (e.type === 'frame') expect(e.body.length).toBeGreaterThan(0), expect(e.body.length).toBeLessThanOrEqual(limit);
        // What is still buffered is at most one prefix and one body.
        expect(decoder.pendingBytes).toBeLessThanOrEqual(4 + limit);
      }),
      { numRuns: 300 },
    );
  });

  it('a zero length prefix is INVALID_REQUEST at once', () => {
    const events = new FrameDecoder().push(prefix(0));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'fatal', error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
  });

  it('a length of 0xFFFFFFFF is MESSAGE_TOO_LARGE from the prefix alone', () => {
    const events = new FrameDecoder().push(Uint8Array.from([0xff, 0xff, 0xff, 0xff]));
    expect(events).toEqual([expect.objectContaining({ type: 'fatal', error: expect.objectContaining({ code: 'ERR_JPKI_MESSAGE_TOO_LARGE' }) })]);
  });

  it('a length just over 64 KiB is MESSAGE_TOO_LARGE, and exactly the limit is accepted', () => {
    expect(new FrameDecoder().push(prefix(64 * 1024 + 1))[0]).toMatchObject({ type: 'fatal', error: { code: 'ERR_JPKI_MESSAGE_TOO_LARGE' } });
    const decoder = new FrameDecoder();
    expect(decoder.push(prefix(64 * 1024))).toEqual([]);
    expect(decoder.push(new Uint8Array(64 * 1024))).toHaveLength(1);
  });

  it('after a fatal fault everything is ignored', () => {
    const decoder = new FrameDecoder();
    decoder.push(prefix(0));
    expect(decoder.push(framed(Uint8Array.of(1, 2, 3)))).toEqual([]);
    expect(decoder.isBroken).toBe(true);
  });

  it('a truncated prefix or body is reported as pending', () => {
    const a = new FrameDecoder();
    expect(a.push(Uint8Array.of(5, 0))).toEqual([]);
    expect(a.pendingBytes).toBe(2);
    const b = new FrameDecoder();
    expect(b.push(concat([prefix(10), Uint8Array.of(1, 2, 3)]))).toEqual([]);
    expect(b.pendingBytes).toBe(7);
  });

  it('a frame split over chunks is copied, and the chunks it was copied from are wiped', () => {
    // A body split over reads is copied into one buffer (which the session zeroes after parsing);
    // the reads themselves must not keep the PIN bytes.
    const body = new TextEncoder().encode('{"id":1,"command":"authenticate","arguments":{"pin":"8642"}}');
    const stream = framed(body);
    const chunks = [stream.slice(0, 30), stream.slice(30)];
    const events = feed(new FrameDecoder(), chunks);
    expect(events).toEqual([{ type: 'frame', body }]);
    const bodyBytes = [...chunks[0]!.subarray(4), ...chunks[1]!]; // the 4-byte prefix is not secret
    expect(bodyBytes.every((byte) => byte === 0)).toBe(true);
  });

  it('64 KiB in one-byte chunks decodes in linear time', () => {
    const body = new Uint8Array(64 * 1024).fill(0x41);
    const stream = framed(body);
    const decoder = new FrameDecoder();
    const started = performance.now();
    let events: DecodeEvent[] = [];
    for (let i = 0; i < stream.length; i++) events = events.concat(decoder.push(stream.subarray(i, i + 1)));
    expect(events).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('encodeFrame / encodeReply', () => {
  it('encodes a little-endian length prefix and a UTF-8 body', () => {
    const frame = encodeFrame({ a: 'é' })!;
    expect(new DataView(frame.buffer).getUint32(0, true)).toBe(frame.length - 4);
    expect(new TextDecoder().decode(frame.subarray(4))).toBe('{"a":"é"}');
  });

  it('a reply over 1 MiB becomes MESSAGE_TOO_LARGE with the same id', () => {
    const frame = encodeReply({ id: 7, result: { blob: 'x'.repeat(1024 * 1024) } });
    const body = JSON.parse(new TextDecoder().decode(frame.subarray(4)));
    expect(body).toEqual({ id: 7, error: { code: 'ERR_JPKI_MESSAGE_TOO_LARGE', message: expect.any(String) } });
    expect(frame.length).toBeLessThan(1024);
  });

  it('a reply exactly at the limit is sent as it is', () => {
    const small = encodeReply({ id: 1, result: { s: '' } }, 1000);
    const overhead = small.length - 4;
    const exact = encodeReply({ id: 1, result: { s: 'y'.repeat(1000 - overhead) } }, 1000);
    expect(exact.length).toBe(1004);
    expect(JSON.parse(new TextDecoder().decode(exact.subarray(4))).result).toBeDefined();
  });
});
