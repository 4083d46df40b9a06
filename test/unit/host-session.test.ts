/** The session loop in process: order, EOF while an operation runs, fatal framing, writer failures. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CardBackend } from '../../native-host/src/card/backend.ts';
import { serve } from '../../native-host/src/host/session.ts';

function framed(body: unknown): Uint8Array {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const out = Buffer.alloc(4 + bytes.length);
  out.writeUInt32LE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}

/** A backend with no readers whose `withReaders` takes `delayMs`. */
function slowBackend(delayMs: number): CardBackend {
  return {
    withReaders: async (fn) => {
      await new Promise((r) => setTimeout(r, delayMs));
      return fn([]);
    },
    close: async () => {},
  };
}

function session(backend: CardBackend, write?: (frame: Uint8Array) => Promise<void>) {
  const input = new PassThrough();
  const frames: any[] = [];
  const log = { info: () => {}, close: () => {} };
  const done = serve({
    input,
    write: write ?? (async (frame) => void frames.push(JSON.parse(Buffer.from(frame.subarray(4)).toString('utf8')))),
    context: { backend, now: () => new Date(), installationUuid: async () => '00112233445566778899aabbccddeeff' },
    log,
  });
  return { input, frames, done };
}

describe('session', () => {
  it('says hello first and replies in request order, even when earlier requests are slower', async () => {
    const s = session(slowBackend(30));
    s.input.write(framed({ id: 1, command: 'status', arguments: {} }));
    s.input.write(framed({ id: 2, command: 'nope', arguments: {} }));
    s.input.write(framed({ id: 3, command: 'status', arguments: {} }));
    s.input.end();
    expect(await s.done).toBe(0);
    expect(s.frames.map((f) => f.type ?? f.id)).toEqual(['hello', 1, 2, 3]);
    expect(s.frames[2].error.code).toBe('ERR_JPKI_UNKNOWN_COMMAND');
  });

  it('finishes the running operation on EOF, then exits 0', async () => {
    const s = session(slowBackend(100));
    s.input.end(framed({ id: 9, command: 'status', arguments: {} }));
    expect(await s.done).toBe(0);
    expect(s.frames.at(-1)).toMatchObject({ id: 9, result: { readers: [], card: null } });
  });

  it('answers a fatal length prefix after the earlier requests, then exits non-zero', async () => {
    const s = session(slowBackend(20));
    s.input.write(Buffer.concat([framed({ id: 1, command: 'status', arguments: {} }), Buffer.from([0, 0, 0, 0])]));
    expect(await s.done).toBe(1);
    expect(s.frames.slice(1).map((f) => f.id)).toEqual([1, null]);
    expect(s.frames.at(-1).error.code).toBe('ERR_JPKI_INVALID_REQUEST');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a frame whose arguments hold the key %s, with its id, before any card contact', async (key) => {
    let reached = 0;
    const backend: CardBackend = { withReaders: async (fn) => (reached++, fn([])), close: async () => {} };
    const s = session(backend);
    // Raw JSON: JSON.parse makes `__proto__` an own key, as a browser's frame would.
    s.input.end(framed(`{"id":5,"command":"status","arguments":{"${key}":{"polluted":true}}}`));
    await s.done;
    expect(s.frames.at(-1)).toMatchObject({ id: 5, error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
    expect(reached).toBe(0);
  });

  it('refuses a frame whose arguments are an array, with its id', async () => {
    const s = session(slowBackend(0));
    s.input.end(framed({ id: 6, command: 'status', arguments: [] }));
    await s.done;
    expect(s.frames.at(-1)).toMatchObject({ id: 6, error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
  });

  it('ends the session quietly when stdout is closed', async () => {
    const s = session(slowBackend(0), async () => {
      throw new Error('EPIPE');
    });
    expect(await s.done).toBe(0);
  });

  it('answers an unexpected internal error as ERR_JPKI_UNKNOWN without its detail', async () => {
    const broken: CardBackend = {
      withReaders: async () => {
        throw new TypeError('secret internals at /src/x.ts:1');
      },
      close: async () => {},
    };
    const s = session(broken);
    s.input.end(framed({ id: 4, command: 'status', arguments: {} }));
    await s.done;
    expect(s.frames.at(-1)).toEqual({ id: 4, error: { code: 'ERR_JPKI_UNKNOWN', message: expect.any(String) } });
    expect(JSON.stringify(s.frames.at(-1))).not.toContain('secret');
  });
});
