/**
 * Adversarial framing against the real host process (black-box over the pipe, as
 * chrome-token-signing's host tests do). Each case ends in a typed error or a clean exit —
 * never a hang (every wait is bounded) and never a crash. The in-process virtual card backs the
 * host, so no reader is needed here.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { VERSION } from '@jpki-bridge/shared/version';
import { createCardState, saveCardState } from '../../native-host/src/virtual-card/index.ts';
import { frame, type HostProcess, spawnHost } from '../harness/host.ts';

let card: string;
const hosts: HostProcess[] = [];
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jpki-host-framing-'));
  card = `virtual:${join(dir, 'card.json')}`;
  await saveCardState(join(dir, 'card.json'), await createCardState({ persona: 'adult' }));
});
afterEach(() => {
  for (const host of hosts.splice(0)) host.kill();
});

async function host(args?: string[]): Promise<HostProcess> {
  const h = await spawnHost({ card, args });
  hosts.push(h);
  return h;
}

function prefix(length: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, length, true);
  return out;
}

const STATUS = { id: 1, command: 'status', arguments: {} };

describe('hello and order', () => {
  it('the hello is the first frame', async () => {
    const h = await host();
    expect(h.hello).toEqual({ type: 'hello', version: VERSION, protocol: 1 });
  });

  it('the arguments Chrome and Firefox append are tolerated', async () => {
    const chrome = await host([`chrome-extension://${CHROMIUM_EXTENSION_ID}/`]);
    expect((await chrome.request('status', {})).result).toBeDefined();
    const firefox = await host(['/usr/lib/mozilla/native-messaging-hosts/jpki_bridge.json', 'jpki-bridge@jpki-bridge.dev']);
    expect((await firefox.request('status', {})).result).toBeDefined();
  });

  it('several frames in one chunk are answered in order', async () => {
    const h = await host();
    const frames = [1, 2, 3].map((id) => frame({ ...STATUS, id }));
    h.writeRaw(Buffer.concat(frames));
    expect([(await h.readFrame()).id, (await h.readFrame()).id, (await h.readFrame()).id]).toEqual([1, 2, 3]);
  });

  it('one frame split over many chunks is reassembled', async () => {
    const h = await host();
    const bytes = frame(STATUS);
    for (let i = 0; i < bytes.length; i++) {
      h.writeRaw(bytes.subarray(i, i + 1));
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect((await h.readFrame()).id).toBe(1);
  });

  it('end of input finishes the current operation, then the host exits 0', async () => {
    const h = await host();
    h.writeFrame({
      id: 5,
      command: 'authenticate',
      arguments: { origin: 'https://a.example', challengeNonce: Buffer.alloc(32).toString('base64'), pin: '1234' },
    });
    h.endInput();
    expect((await h.readFrame()).id).toBe(5);
    expect(await h.exited).toBe(0);
    expect(h.strayBytes()).toBe(0);
  });
});

describe('fatal framing: answered with id null, then exit', () => {
  it('a declared length of 0 is ERR_JPKI_INVALID_REQUEST, then the host exits 1', async () => {
    const h = await host();
    h.writeRaw(prefix(0));
    expect(await h.readFrame(5000)).toMatchObject({ id: null, error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
    expect(await h.exited).toBe(1); // an unrecoverable framing fault (docs/DECISIONS.md), not a crash (null) nor a clean EOF (0)
  });

  it('a declared length of 0xFFFFFFFF is ERR_JPKI_MESSAGE_TOO_LARGE before any body arrives, then the host exits 1', async () => {
    const h = await host();
    h.writeRaw(Uint8Array.from([0xff, 0xff, 0xff, 0xff])); // no body follows: the answer must not wait for one
    expect(await h.readFrame(5000)).toMatchObject({ id: null, error: { code: 'ERR_JPKI_MESSAGE_TOO_LARGE' } });
    expect(await h.exited).toBe(1);
  });

  it('a declared length of 64 KiB + 1 is ERR_JPKI_MESSAGE_TOO_LARGE', async () => {
    const h = await host();
    h.writeRaw(prefix(64 * 1024 + 1));
    expect(await h.readFrame(5000)).toMatchObject({ id: null, error: { code: 'ERR_JPKI_MESSAGE_TOO_LARGE' } });
  });

  it('a length prefix cut off by end of input is answered, then the host exits 0', async () => {
    const h = await host();
    h.writeRaw(Uint8Array.of(0x10, 0x00));
    h.endInput();
    expect(await h.readFrame(5000)).toMatchObject({ id: null, error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
    expect(await h.exited).toBe(0);
  });

  it('a body cut off by end of input is answered, then the host exits 0', async () => {
    const h = await host();
    h.writeRaw(frame(STATUS).subarray(0, 12));
    h.endInput();
    expect(await h.readFrame(5000)).toMatchObject({ id: null, error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
    expect(await h.exited).toBe(0);
  });

  it('the frames before a fatal fault are still answered', async () => {
    const h = await host();
    h.writeRaw(Buffer.concat([frame(STATUS), prefix(0)]));
    expect((await h.readFrame()).id).toBe(1);
    expect(await h.readFrame()).toMatchObject({ id: null, error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
  });
});

describe('recoverable faults: typed error, session goes on', () => {
  const cases: [string, Uint8Array, string, number | null][] = [
    ['invalid UTF-8', Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), 'ERR_JPKI_INVALID_REQUEST', null],
    ['invalid JSON', new TextEncoder().encode('{"id":1,'), 'ERR_JPKI_INVALID_REQUEST', null],
    ['a JSON array', new TextEncoder().encode('[1,2,3]'), 'ERR_JPKI_INVALID_REQUEST', null],
    ['a JSON string', new TextEncoder().encode('"status"'), 'ERR_JPKI_INVALID_REQUEST', null],
    ['null', new TextEncoder().encode('null'), 'ERR_JPKI_INVALID_REQUEST', null],
    ['an extra envelope key', new TextEncoder().encode('{"id":3,"command":"status","arguments":{},"x":1}'), 'ERR_JPKI_INVALID_REQUEST', null],
    ['a missing arguments key', new TextEncoder().encode('{"id":4,"command":"status"}'), 'ERR_JPKI_INVALID_REQUEST', 4],
    ['an extra argument key', new TextEncoder().encode('{"id":5,"command":"status","arguments":{"a":1}}'), 'ERR_JPKI_INVALID_REQUEST', 5],
    ['an unknown command', new TextEncoder().encode('{"id":6,"command":"format-card","arguments":{}}'), 'ERR_JPKI_UNKNOWN_COMMAND', 6],
    ['a command named __proto__', new TextEncoder().encode('{"id":7,"command":"__proto__","arguments":{}}'), 'ERR_JPKI_UNKNOWN_COMMAND', 7],
    [
      'a missing pin',
      new TextEncoder().encode(
        `{"id":8,"command":"authenticate","arguments":{"origin":"https://a.jp","challengeNonce":"${Buffer.alloc(32).toString('base64')}"}}`,
      ),
      'ERR_JPKI_INVALID_REQUEST',
      8,
    ],
  ];
  it.each(cases)('%s is a typed error, and the next request works', async (_name, body, code, id) => {
    const h = await host();
    h.writeRaw(frame(body));
    const reply = await h.readFrame(5000);
    expect(reply.error.code).toBe(code);
    if (id !== null) expect(reply.id).toBe(id);
    expect(JSON.stringify(reply)).not.toMatch(/at .*\.(ts|mjs|js):\d+/); // no stack traces
    expect((await h.request('status', {})).result).toBeDefined();
  });

  it('a PIN never appears in the log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jpki-host-log-'));
    const log = join(dir, 'host.log');
    await writeFile(log, '');
    const h = await spawnHost({ card, log });
    hosts.push(h);
    await h.request('authenticate', { origin: 'https://a.example', challengeNonce: Buffer.alloc(32).toString('base64'), pin: '8642' });
    await h.request('sign', { origin: 'https://a.example', hashes: [Buffer.alloc(32).toString('base64')], hashFunction: 'SHA-256', pin: 'ZQ97XW' });
    h.endInput();
    await h.exited;
    const text = (await import('node:fs')).readFileSync(log, 'utf8');
    expect(text).toContain('authenticate');
    expect(text).not.toContain('8642');
    expect(text).not.toContain('ZQ97XW');
    expect(h.stderr()).toBe('');
  });
});
