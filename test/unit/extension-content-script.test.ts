/** The content script's `jpki:*` surface against hostile pages. */
import { describe, expect, it, vi } from 'vitest';
import { readPageMessage } from '../../extension/src/content/page-message.ts';
import { startPageApi } from '../../extension/src/content/page-api.ts';
import type { Outcome, PageMessage } from '../../extension/src/messages.ts';
import { FakeWindow, tick } from './extension-fakes/fake-window.ts';

describe('readPageMessage', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'jpki:status'],
    ['a number', 42],
    ['an array', ['jpki:status']],
    ['an array with an action property', Object.assign(['x'], { action: 'jpki:status' })],
    ['an action object with startsWith', { action: { startsWith: () => true, toString: (): string => 'jpki:status' } }],
    ['an unknown action', { action: 'jpki:steal' }],
    ['our own ack', { action: 'jpki:status-ack' }],
    ['a prototype-named action', { action: '__proto__' }],
    ['a huge action string', { action: 'jpki:status'.padEnd(1_000_000, 'x') }],
  ])('ignores %s', (_name, data) => {
    expect(readPageMessage(data)).toBeNull();
  });

  it('ignores an object whose action getter throws', () => {
    const data = {};
    Object.defineProperty(data, 'action', {
      get: () => {
        throw new Error('boom');
      },
    });
    expect(readPageMessage(data)).toBeNull();
  });

  it('copies only the expected fields and drops a page-supplied origin', () => {
    const read = readPageMessage({ action: 'jpki:authenticate', challengeNonce: 'A'.repeat(44), origin: 'https://bank.example', extra: { a: 1 } });
    expect(read).toEqual({ action: 'jpki:authenticate', requestId: undefined, request: { challengeNonce: 'A'.repeat(44) } });
  });

  it('copies the hashes into a fresh array of strings', () => {
    const hashes = ['a', 'b'];
    const read = readPageMessage({ action: 'jpki:sign', hashes, hashFunction: 'SHA-256' });
    expect(read?.request).toEqual({ hashes: ['a', 'b'], hashFunction: 'SHA-256' });
    expect(read?.request?.hashes).not.toBe(hashes);
  });

  it.each([
    ['a nonce that is an object', { action: 'jpki:authenticate', challengeNonce: { length: 44 } }],
    ['a huge nonce', { action: 'jpki:authenticate', challengeNonce: 'A'.repeat(100_000) }],
    ['hashes that are a string', { action: 'jpki:sign', hashes: 'abc', hashFunction: 'SHA-256' }],
    ['hashes with an object', { action: 'jpki:sign', hashes: [{}], hashFunction: 'SHA-256' }],
    ['17 hashes', { action: 'jpki:sign', hashes: Array(17).fill('a'), hashFunction: 'SHA-256' }],
    ['no hashes', { action: 'jpki:sign', hashes: [], hashFunction: 'SHA-256' }],
    ['a timeout that is a string', { action: 'jpki:status', timeout: '5' }],
    ['a NaN timeout', { action: 'jpki:status', timeout: Number.NaN }],
  ])('marks %s as malformed (request null)', (_name, data) => {
    const read = readPageMessage(data);
    expect(read).not.toBeNull();
    expect(read?.request).toBeNull();
  });

  it('accepts only a well-formed requestId', () => {
    expect(readPageMessage({ action: 'jpki:status', requestId: 'abc_123' })?.requestId).toBe('abc_123');
    expect(readPageMessage({ action: 'jpki:status', requestId: '<script>' })?.requestId).toBeUndefined();
    expect(readPageMessage({ action: 'jpki:status', requestId: 'x'.repeat(65) })?.requestId).toBeUndefined();
  });
});

describe('startPageApi', () => {
  const ok = (result: Record<string, unknown>): Outcome => ({ ok: true, result });

  it('acks at once, forwards once, and answers success to the page origin', async () => {
    const win = new FakeWindow();
    const send = vi.fn(async (_m: PageMessage) => ok({ extensionVersion: '0.1.0', hostVersion: '0.1.0' }));
    startPageApi(win as unknown as Window, send);
    win.postMessage({ action: 'jpki:status', requestId: 'r1' }, win.location.origin);
    await tick(5);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0]).toEqual({ channel: 'page', action: 'jpki:status', request: {}, origin: win.origin, active: true });
    const replies = win.replies();
    expect(replies.map((r) => r.action)).toEqual(['jpki:status-ack', 'jpki:status-success']);
    expect(replies[1]).toEqual({ action: 'jpki:status-success', requestId: 'r1', extensionVersion: '0.1.0', hostVersion: '0.1.0' });
    expect(win.posts.filter((p) => p.data !== undefined).every((p) => p.targetOrigin === win.location.origin)).toBe(true);
  });

  it('a repeated requestId (the probe) is acked again but never forwarded twice', async () => {
    const win = new FakeWindow();
    const send = vi.fn(async () => ok({}));
    startPageApi(win as unknown as Window, send);
    for (let i = 0; i < 5; i++) win.postMessage({ action: 'jpki:status', requestId: 'same' }, win.location.origin);
    await tick(5);
    expect(send).toHaveBeenCalledTimes(1);
    expect(win.replies().filter((r) => r.action === 'jpki:status-ack')).toHaveLength(5);
  });

  it('ignores messages from other windows (event.source !== window)', async () => {
    const win = new FakeWindow();
    const send = vi.fn(async () => ok({}));
    startPageApi(win as unknown as Window, send);
    win.deliver({ action: 'jpki:status' }, { source: {} });
    win.deliver({ action: 'jpki:status' }, { source: null });
    await tick(5);
    expect(send).not.toHaveBeenCalled();
    expect(win.replies()).toEqual([]);
  });

  it('answers a malformed known action with ack + INVALID_REQUEST, without asking the background', async () => {
    const win = new FakeWindow();
    const send = vi.fn(async () => ok({}));
    startPageApi(win as unknown as Window, send);
    win.postMessage({ action: 'jpki:authenticate', challengeNonce: ['x'] }, win.location.origin);
    await tick(5);
    expect(send).not.toHaveBeenCalled();
    expect(win.replies()).toEqual([
      { action: 'jpki:authenticate-ack' },
      { action: 'jpki:authenticate-failure', code: 'ERR_JPKI_INVALID_REQUEST', message: 'The request is malformed.' },
    ]);
  });

  it('never forwards a page-supplied origin', async () => {
    const win = new FakeWindow();
    const send = vi.fn(async (_m: PageMessage) => ok({}));
    startPageApi(win as unknown as Window, send);
    win.postMessage({ action: 'jpki:authenticate', challengeNonce: 'N'.repeat(44), origin: 'https://bank.example' }, win.location.origin);
    await tick(5);
    expect(JSON.stringify(send.mock.calls[0]?.[0])).not.toContain('bank.example');
  });

  it('turns a failure outcome into <action>-failure {code, message, retriesLeft}', async () => {
    const win = new FakeWindow();
    startPageApi(win as unknown as Window, async () => ({ ok: false, error: { code: 'ERR_JPKI_PIN_INCORRECT', message: 'x', retriesLeft: 2 } }));
    win.postMessage({ action: 'jpki:get-signing-certificate' }, win.location.origin);
    await tick(5);
    expect(win.replies()[1]).toEqual({ action: 'jpki:get-signing-certificate-failure', code: 'ERR_JPKI_PIN_INCORRECT', message: 'x', retriesLeft: 2 });
  });

  it('a dead extension context (sendMessage throws) is EXTENSION_UNAVAILABLE', async () => {
    const win = new FakeWindow();
    startPageApi(win as unknown as Window, () => {
      throw new Error('Extension context invalidated.');
    });
    win.postMessage({ action: 'jpki:status' }, win.location.origin);
    await tick(5);
    expect(win.replies()[1]?.code).toBe('ERR_JPKI_EXTENSION_UNAVAILABLE');
  });
});
