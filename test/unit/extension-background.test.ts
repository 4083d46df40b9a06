/** The background: origin derivation, the single-operation lock, the PIN loop, timeouts, native errors. */
import { describe, expect, it, vi } from 'vitest';
import { ERROR_MESSAGES, JpkiError } from '@jpki-bridge/shared/errors';
import { USER_TIMEOUT_MS } from '@jpki-bridge/shared/constants';
import { buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { OperationLock } from '../../extension/src/background/operation-lock.ts';
import { isContentScript, isExtensionPage, originOfSender } from '../../extension/src/background/sender.ts';
import { createDeadline } from '../../extension/src/background/deadline.ts';
import { parsePageRequest } from '../../extension/src/background/page-request.ts';
import { clampUserTimeout } from '@jpki-bridge/shared/protocol/checks';
import { OPERATION_ROWS, type OperationName } from '@jpki-bridge/shared/operations';
import { NativeSession } from '../../extension/src/background/native/native-app-service.ts';
import { route as routeMessage } from '../../extension/src/background/router.ts';
import { pageError } from '../../extension/src/background/page-error.ts';
import {
  HOST_FAILURE_BACKOFF_MAX_MS,
  HOST_FAILURE_BACKOFF_MIN_MS,
  HOST_VERSION_TTL_MS,
  HostVersionCache,
} from '../../extension/src/background/host-version-cache.ts';
import type { BackgroundContext } from '../../extension/src/background/context.ts';
import { fakeHost, statusResult, type Handler } from './extension-fakes/fake-native.ts';
import { afterTheAnswer, fakePrompt } from './extension-fakes/fake-prompt.ts';
import type { PromptAnswer } from '../../extension/src/background/pin-prompt.ts';
import { NONCE, SELF, TOKEN, fakeContext } from './extension-fakes/fake-context.ts';

const page = (url = 'https://rp.example/login', origin?: string) => ({ id: 'ext', url, origin, tab: { id: 1 }, frameId: 0 });

/**
 * A message as our content script sends it: with its document's origin and the user's activation
 * in the page (what each guards is proved in extension-page-guards.test.ts).
 */
const route: typeof routeMessage = (ctx, self, message, sender) =>
  routeMessage(
    ctx,
    self,
    typeof message === 'object' && message !== null ? { origin: originOfSender(sender) ?? 'null', active: true, ...message } : message,
    sender,
  );

/** A host whose card answers the PIN like the real one: 3/5 tries, counting down, locking at 0. */
function cardHost(opts: { retries?: { auth: number; sign: number }; pins?: { auth: string; sign: string } } = {}) {
  const retries = { ...(opts.retries ?? { auth: 3, sign: 5 }) };
  const pins = opts.pins ?? { auth: '1234', sign: 'ABC123' };
  const handler: Handler = (command, args) => {
    if (command === 'status') return statusResult({ ...retries });
    const kind = OPERATION_ROWS[command as OperationName].pin === 'auth' ? 'auth' : 'sign';
    if (retries[kind] === 0) throw new JpkiError('ERR_JPKI_PIN_LOCKED');
    if (retries[kind] === 1 && args.confirmLastTry !== true) throw new JpkiError('ERR_JPKI_PIN_LAST_TRY', undefined, 1);
    if (args.pin !== pins[kind]) {
      retries[kind]--;
      throw retries[kind] === 0 ? new JpkiError('ERR_JPKI_PIN_LOCKED') : new JpkiError('ERR_JPKI_PIN_INCORRECT', undefined, retries[kind]);
    }
    retries[kind] = kind === 'auth' ? 3 : 5;
    if (command === 'authenticate') return TOKEN;
    if (command === 'get-signing-certificate') return { certificate: 'MAA=' };
    if (command === 'sign')
      return {
        certificate: 'MAA=',
        signatures: (args.hashes as string[]).map(() => 'AAAA'),
        signatureAlgorithm: { cryptoAlgorithm: 'RSA', hashFunction: args.hashFunction, paddingScheme: 'PKCS1.5' },
      };
    return {};
  };
  return { host: fakeHost(handler), retries };
}

const pin = (p: string, confirmLastTry = false): PromptAnswer => ({ type: 'pin', pin: p, confirmLastTry });

describe('origin of the sender', () => {
  it('prefers sender.origin', () => expect(originOfSender({ origin: 'https://a.example', url: 'https://b.example/x' })).toBe('https://a.example'));
  it('falls back to the origin of sender.url (Firefox)', () =>
    expect(originOfSender({ url: 'https://rp.example:8443/p?q#f' })).toBe('https://rp.example:8443'));
  it('serves http only on localhost and 127.0.0.1', () => {
    expect(originOfSender({ url: 'http://localhost:3000/' })).toBe('http://localhost:3000');
    expect(originOfSender({ url: 'http://127.0.0.1/' })).toBe('http://127.0.0.1');
    expect(originOfSender({ url: 'http://evil.example/' })).toBeNull();
    expect(originOfSender({ origin: 'http://evil.example' })).toBeNull();
  });
  it('refuses opaque, file and extension origins', () => {
    expect(originOfSender({ origin: 'null', url: 'data:text/html,x' })).toBeNull();
    // A sandboxed document (CSP `sandbox`, or a popup opened from a sandboxed iframe) has an
    // opaque origin although its URL is https on a real site: it must not be served as that site.
    expect(originOfSender({ origin: 'null', url: 'https://portal.example.go.jp/uploads/x.html' })).toBeNull();
    expect(originOfSender({ url: 'file:///etc/passwd' })).toBeNull();
    expect(originOfSender({ url: 'chrome-extension://other/x.html' })).toBeNull();
    expect(originOfSender({})).toBeNull();
  });
  it('tells content scripts from extension pages', () => {
    expect(isContentScript(page(), 'ext', SELF.baseUrl)).toBe(true);
    expect(isContentScript({ ...page(), frameId: 3 }, 'ext', SELF.baseUrl)).toBe(false);
    expect(isContentScript({ ...page(), id: 'other' }, 'ext', SELF.baseUrl)).toBe(false);
    expect(isExtensionPage({ id: 'ext', url: 'chrome-extension://ext/popup.html', tab: { id: 2 } }, 'ext', SELF.baseUrl)).toBe(true);
    expect(isExtensionPage(page(), 'ext', SELF.baseUrl)).toBe(false);
  });
});

describe('timeouts', () => {
  it('clamps the page timeout to at most 120 s and at least 1 s', () => {
    expect(clampUserTimeout(10 * 60_000)).toBe(USER_TIMEOUT_MS);
    expect(clampUserTimeout(5_000)).toBe(5_000);
    expect(clampUserTimeout(1)).toBe(1_000);
    expect(clampUserTimeout(Number.POSITIVE_INFINITY)).toBe(USER_TIMEOUT_MS);
  });
  it('reads the page timeout in the page schema: absent is 120 s, a number is clamped, anything else is refused', () => {
    const timeout = (request: Record<string, unknown>) => parsePageRequest('jpki:get-signing-certificate', request).timeout;
    expect(timeout({})).toBe(USER_TIMEOUT_MS);
    expect(timeout({ timeout: 10 * 60_000 })).toBe(USER_TIMEOUT_MS);
    expect(timeout({ timeout: 5_000.7 })).toBe(5_000);
    expect(timeout({ timeout: 1 })).toBe(1_000);
    for (const bad of ['5000', Number.NaN, Number.POSITIVE_INFINITY, null]) {
      expect(() => timeout({ timeout: bad }), String(bad)).toThrow(expect.objectContaining({ code: 'ERR_JPKI_INVALID_REQUEST' }));
    }
  });
  it('a deadline rejects with USER_TIMEOUT', async () => {
    const deadline = createDeadline(20);
    await expect(deadline.race(new Promise(() => {}))).rejects.toMatchObject({ code: 'ERR_JPKI_USER_TIMEOUT' });
  });
});

describe('OperationLock', () => {
  it('refuses a second operation with ACTION_PENDING and frees itself on every path', async () => {
    const lock = new OperationLock();
    let release!: () => void;
    const first = lock.run(() => new Promise<void>((r) => (release = r)));
    await expect(lock.run(async () => 1)).rejects.toMatchObject({ code: 'ERR_JPKI_ACTION_PENDING' });
    release();
    await first;
    await expect(
      lock.run(async () => {
        throw new Error('x');
      }),
    ).rejects.toThrow('x');
    await expect(lock.run(async () => 2)).resolves.toBe(2);
  });
});

describe('NativeSession', () => {
  it.each(['Specified native messaging host not found.', 'Access to the specified native messaging host is forbidden.', 'Native host has exited.', undefined])(
    'a disconnect before hello (%s) is NATIVE_UNAVAILABLE telling to install and run doctor',
    async (reason) => {
      const host = fakeHost(() => ({}), { disconnectReason: reason });
      const error = await NativeSession.open(host.connect).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
      expect((error as Error).message).toMatch(/jpki-bridge install.*jpki-bridge doctor/);
    },
  );
  it('connectNative throwing is NATIVE_UNAVAILABLE', async () => {
    await expect(
      NativeSession.open(() => {
        throw new Error('no permission');
      }),
    ).rejects.toMatchObject({ code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
  });
  it('no hello in time is NATIVE_UNAVAILABLE, and the port is closed', async () => {
    const host = fakeHost(() => ({}), { hello: null });
    await expect(NativeSession.open(host.connect, { helloTimeoutMs: 30 })).rejects.toMatchObject({ code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
    expect(host.closed).toBe(1);
  });
  it('another protocol version is VERSION_MISMATCH', async () => {
    const host = fakeHost(() => ({}), { hello: { type: 'hello', version: '9.0.0', protocol: 2 } });
    await expect(NativeSession.open(host.connect)).rejects.toMatchObject({ code: 'ERR_JPKI_VERSION_MISMATCH' });
    expect(host.closed).toBe(1);
  });
  it('a malformed hello is VERSION_MISMATCH', async () => {
    const host = fakeHost(() => ({}), { hello: { type: 'hi' } });
    await expect(NativeSession.open(host.connect)).rejects.toMatchObject({ code: 'ERR_JPKI_VERSION_MISMATCH' });
  });
  it('host errors come back as typed JpkiErrors with retriesLeft', async () => {
    const host = fakeHost(() => {
      throw new JpkiError('ERR_JPKI_PIN_INCORRECT', 'wrong', 2);
    });
    const session = await NativeSession.open(host.connect);
    await expect(session.request('authenticate', { origin: 'https://a.example', challengeNonce: NONCE, pin: '0000' })).rejects.toMatchObject({
      code: 'ERR_JPKI_PIN_INCORRECT',
      retriesLeft: 2,
    });
    session.close();
  });
  it('a malformed result is refused', async () => {
    const host = fakeHost(() => ({ format: 'something' }));
    const session = await NativeSession.open(host.connect);
    await expect(session.request('authenticate', { origin: 'https://a.example', challengeNonce: NONCE, pin: '1234' })).rejects.toMatchObject({
      code: 'ERR_JPKI_UNKNOWN',
    });
    session.close();
  });
});

describe('route: page requests', () => {
  it('jpki:status gives only the versions', async () => {
    const { host } = cardHost();
    const out = await route(fakeContext(host, fakePrompt([])), SELF, { channel: 'page', action: 'jpki:status', request: {} }, page());
    expect(out).toEqual({ ok: true, result: { extensionVersion: '0.1.0', hostVersion: '0.1.0' } });
    expect(host.closed).toBe(host.opened);
  });

  it('jpki:status polled by a page starts one host, not one per call', async () => {
    let clock = 0;
    const cache = new HostVersionCache(() => clock);
    const { host } = cardHost();
    const ctx = { ...fakeContext(host, fakePrompt([])), hostVersionCache: cache };
    const calls = Array.from({ length: 5 }, () => route(ctx, SELF, { channel: 'page', action: 'jpki:status', request: {} }, page()));
    for (const out of await Promise.all(calls)) expect(out).toMatchObject({ ok: true, result: { hostVersion: '0.1.0' } });
    expect(host.opened).toBe(1);
    clock += HOST_VERSION_TTL_MS;
    await route(ctx, SELF, { channel: 'page', action: 'jpki:status', request: {} }, page());
    expect(host.opened).toBe(2);
  });

  it('jpki:status during a host failure starts the host a few times a minute, not once per call (issue 19 finding 5)', async () => {
    let clock = 0;
    const cache = new HostVersionCache(() => clock);
    const absent = fakeHost(() => ({}), { hello: null, disconnectReason: 'Specified native messaging host not found.' });
    const noHost = { ...fakeContext(absent, fakePrompt([])), hostVersionCache: cache };
    const status = (ctx: BackgroundContext) => route(ctx, SELF, { channel: 'page', action: 'jpki:status', request: {} }, page());
    // The burst: 300 calls in 0.3 s start the host once.
    for (let i = 0; i < 300; i++, clock += 1) expect(await status(noHost)).toMatchObject({ ok: false });
    expect(absent.opened).toBe(1);
    // A page polling every 100 ms for a minute: back-off 1, 2, 4, 8, 16, 30, 30 s → at most 7 starts.
    for (let i = 0; i < 600; i++, clock += 100) await status(noHost);
    expect(absent.opened).toBeGreaterThan(1);
    expect(absent.opened).toBeLessThanOrEqual(7);
    // Once the host works, it is seen when the back-off ends, and success is cached as before.
    const { host } = cardHost();
    const fixed = { ...noHost, connect: host.connect };
    clock += HOST_FAILURE_BACKOFF_MAX_MS;
    expect(await status(fixed)).toMatchObject({ ok: true });
    expect(await status(fixed)).toMatchObject({ ok: true });
    expect(host.opened).toBe(1);
  });

  it('a host installed a moment after a failure is seen within a second', async () => {
    let clock = 0;
    const cache = new HostVersionCache(() => clock);
    const absent = fakeHost(() => ({}), { hello: null, disconnectReason: 'Specified native messaging host not found.' });
    const noHost = { ...fakeContext(absent, fakePrompt([])), hostVersionCache: cache };
    expect(await route(noHost, SELF, { channel: 'page', action: 'jpki:status', request: {} }, page())).toMatchObject({ ok: false });
    const { host } = cardHost();
    clock += HOST_FAILURE_BACKOFF_MIN_MS;
    expect(await route({ ...noHost, connect: host.connect }, SELF, { channel: 'page', action: 'jpki:status', request: {} }, page())).toMatchObject({
      ok: true,
    });
  });

  it('authenticate binds the token to the sender origin, never a page-supplied one', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([pin('1234')]);
    const out = await route(
      fakeContext(host, prompt),
      SELF,
      { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE, origin: 'https://bank.example' } },
      page('https://rp.example/x'),
    );
    expect(out).toMatchObject({ ok: true, result: TOKEN });
    const auth = host.requests.find((r) => r.command === 'authenticate');
    expect(auth?.arguments).toEqual({ origin: 'https://rp.example', challengeNonce: NONCE, pin: '1234' });
    await afterTheAnswer();
    expect(prompt.states[0]).toMatchObject({ origin: 'https://rp.example', use: 'authenticate', kind: 'auth', retriesLeft: 3, phase: 'enter' });
    expect(prompt.closed).toBe(1);
    expect(host.closed).toBe(host.opened);
  });

  it('refuses an unserved origin (http on a public host)', async () => {
    const { host } = cardHost();
    const out = await route(fakeContext(host, fakePrompt([])), SELF, { channel: 'page', action: 'jpki:status', request: {} }, page('http://evil.example/'));
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_ORIGIN' } });
    expect(host.opened).toBe(0);
  });

  it('refuses change-pin, host-status and show-signing-certificate from web pages', async () => {
    const { host } = cardHost();
    const ctx = fakeContext(host, fakePrompt([]));
    for (const command of ['change-pin', 'host-status', 'show-signing-certificate']) {
      const out = await route(ctx, SELF, { channel: 'ui', command, kind: 'auth', pin: '1234', newPin: '5678' }, page());
      expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
    }
    expect(host.opened).toBe(0);
  });

  describe("the popup's signing certificate after its PIN (show-signing-certificate)", () => {
    const popup = { id: 'ext', url: 'chrome-extension://ext/popup.html', tab: { id: 2 } };
    const show = (ctx: BackgroundContext, pin: unknown, confirmLastTry?: boolean) =>
      route(ctx, SELF, { channel: 'ui', command: 'show-signing-certificate', pin, ...(confirmLastTry === undefined ? {} : { confirmLastTry }) }, popup);

    it('a malformed PIN is PIN_FORMAT and never reaches the host; a good one gets the certificate, asked with no origin', async () => {
      const { host } = cardHost();
      const ctx = fakeContext(host, fakePrompt([]));
      for (const bad of ['abcdef', '12345', 'ABC-123', 1234, undefined]) {
        expect(await show(ctx, bad)).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_PIN_FORMAT' } });
      }
      expect(host.opened).toBe(0);
      expect(await show(ctx, 'abc123')).toEqual({ ok: true, result: { certificate: 'MAA=' } });
      // upper-cased before it leaves the background; no origin, no confirmation, no dialog
      expect(host.requests).toEqual([{ command: 'get-signing-certificate', arguments: { pin: 'ABC123' } }]);
      expect(host.closed).toBe(host.opened);
    });

    it('a wrong PIN counts down, the last try is sent only with the confirmation, and a lock holds', async () => {
      const { host, retries } = cardHost({ retries: { auth: 3, sign: 2 } });
      const ctx = fakeContext(host, fakePrompt([]));
      expect(await show(ctx, 'WRONG1')).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 1 } });
      expect(await show(ctx, 'ABC123')).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_PIN_LAST_TRY' } });
      expect(await show(ctx, 'ABC123', true)).toMatchObject({ ok: true });
      expect(host.requests.map((r) => r.arguments.confirmLastTry)).toEqual([undefined, undefined, true]);
      retries.sign = 0;
      expect(await show(ctx, 'ABC123', true)).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_PIN_LOCKED' } });
    });

    it("shares the PIN operations' lock: while a dialog is open it is ACTION_PENDING, the host not asked", async () => {
      const { host } = cardHost();
      const ctx = fakeContext(host, fakePrompt(['hang']));
      const first = route(ctx, SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE, timeout: 1_000 } }, page());
      await new Promise((r) => setTimeout(r, 30));
      expect(await show(ctx, 'ABC123')).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ACTION_PENDING' } });
      expect(host.requests.some((r) => r.command === 'get-signing-certificate')).toBe(false);
      await first;
    });
  });

  it('a bad nonce is INVALID_NONCE before any dialog', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([]);
    const out = await route(fakeContext(host, prompt), SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: 'short' } }, page());
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_NONCE' } });
    expect(prompt.opened).toBe(0);
  });

  it('a hash of the wrong length is INVALID_HASH', async () => {
    const { host } = cardHost();
    const out = await route(
      fakeContext(host, fakePrompt([])),
      SELF,
      { channel: 'page', action: 'jpki:sign', request: { hashes: ['AAAA'], hashFunction: 'SHA-256' } },
      page(),
    );
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_HASH' } });
  });

  it('a second operation while one is open gets ACTION_PENDING', async () => {
    const { host } = cardHost();
    const ctx = fakeContext(host, fakePrompt(['hang']));
    const first = route(ctx, SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE, timeout: 1_000 } }, page());
    await new Promise((r) => setTimeout(r, 30));
    const second = await route(ctx, SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE } }, page('https://other.example/'));
    expect(second).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ACTION_PENDING' } });
    expect(await first).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_TIMEOUT' } });
  });

  it('sign: one PIN entry for all hashes', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([pin('abc123')]);
    const hash = btoa('x'.repeat(32));
    const out = await route(
      fakeContext(host, prompt),
      SELF,
      { channel: 'page', action: 'jpki:sign', request: { hashes: [hash, hash, hash], hashFunction: 'SHA-256' } },
      page(),
    );
    expect(out).toMatchObject({ ok: true, result: { signatures: ['AAAA', 'AAAA', 'AAAA'] } });
    expect(prompt.states).toHaveLength(1);
    expect(prompt.states[0]).toMatchObject({ use: 'sign', kind: 'sign', count: 3 });
    // upper-cased before it leaves the background
    expect(host.requests.find((r) => r.command === 'sign')?.arguments.pin).toBe('ABC123');
  });

  it('no signing certificate shows in the dialog, and the page gets NO_SIGNING_CERTIFICATE when it is closed, no PIN asked', async () => {
    const host = fakeHost((c) => (c === 'status' ? statusResult(undefined, { hasSigningCertificate: false }) : {}));
    const prompt = fakePrompt([{ type: 'close' }]);
    const out = await route(fakeContext(host, prompt), SELF, { channel: 'page', action: 'jpki:get-signing-certificate', request: {} }, page());
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NO_SIGNING_CERTIFICATE' } });
    expect(prompt.states).toMatchObject([{ phase: 'failed', error: { code: 'ERR_JPKI_NO_SIGNING_CERTIFICATE' } }]);
    expect(host.requests.map((r) => r.command)).toEqual(['status']);
  });

  it('no card / no reader show in the dialog, and the page gets them when it is closed', async () => {
    const noCard = fakeHost((c) => (c === 'status' ? { ...statusResult(), card: null } : {}));
    const cardPrompt = fakePrompt([{ type: 'close' }]);
    expect(
      await route(fakeContext(noCard, cardPrompt), SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE } }, page()),
    ).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NO_CARD' } });
    expect(cardPrompt.states).toMatchObject([{ phase: 'failed', error: { code: 'ERR_JPKI_NO_CARD' } }]);
    const noReader = fakeHost((c) => (c === 'status' ? { version: '0.1.0', readers: [], card: null } : {}));
    const readerPrompt = fakePrompt([{ type: 'cancel' }]);
    expect(
      await route(fakeContext(noReader, readerPrompt), SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE } }, page()),
    ).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NO_READER' } });
    expect(readerPrompt.states).toMatchObject([{ phase: 'failed', error: { code: 'ERR_JPKI_NO_READER' } }]);
  });

  it("a page gets the code and the generic message only; the host's detail (reader name with its USB serial) goes to the log (issue 19 finding 7)", async () => {
    const detail = 'SCardConnect on "ACS ACR39U ICC Reader [SN 0123456789AB] 00 00": Sharing violation';
    const busy = fakeHost((c) => {
      if (c === 'status') throw new JpkiError('ERR_JPKI_PCSC_UNAVAILABLE', detail);
      return {};
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const out = await route(
        fakeContext(busy, fakePrompt([{ type: 'close' }])),
        SELF,
        { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE } },
        page(),
      );
      expect(out).toEqual({ ok: false, error: { code: 'ERR_JPKI_PCSC_UNAVAILABLE', message: ERROR_MESSAGES.ERR_JPKI_PCSC_UNAVAILABLE.en } });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('0123456789AB'));
    } finally {
      warn.mockRestore();
    }
  });

  it('a page still gets retriesLeft with a PIN error, and the generic message', () => {
    const lines: string[] = [];
    expect(pageError(new JpkiError('ERR_JPKI_PIN_INCORRECT', 'VERIFY answered 63 C2', 2), (line) => lines.push(line))).toEqual({
      code: 'ERR_JPKI_PIN_INCORRECT',
      message: ERROR_MESSAGES.ERR_JPKI_PIN_INCORRECT.en,
      retriesLeft: 2,
    });
    expect(lines).toEqual(['jpki-bridge: ERR_JPKI_PIN_INCORRECT: VERIFY answered 63 C2']);
  });

  it('a PIN request is refused when its tab leaves the front before the dialog opens, and no dialog opens (issue 19 finding 6)', async () => {
    const { host } = cardHost();
    let opened = 0;
    const prompt = fakePrompt([pin('1234')]);
    const front = [true, false]; // in front on arrival; the user switched tabs before the dialog
    const checked: number[] = [];
    const ctx = {
      ...fakeContext(host, { open: async () => (opened++, prompt.open()) }),
      isFrontTab: async (tabId: number) => (checked.push(tabId), front.shift() ?? false),
    };
    const out = await route(ctx, SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE } }, page());
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_TAB_NOT_IN_FRONT' } });
    expect(checked).toEqual([1, 1]);
    expect(opened).toBe(0);
  });

  it('a missing host shows NATIVE_UNAVAILABLE in the dialog, and the page gets it when the dialog times out too', async () => {
    const host = fakeHost(() => ({}), { disconnectReason: 'Specified native messaging host not found.' });
    const prompt = fakePrompt(['hang']);
    const out = await route(
      fakeContext(host, prompt),
      SELF,
      { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE, timeout: 1_000 } },
      page(),
    );
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NATIVE_UNAVAILABLE' } });
    await afterTheAnswer();
    expect(prompt.states).toMatchObject([{ phase: 'failed' }]);
    expect(prompt.closed).toBe(1);
  });
});

describe('the PIN loop', () => {
  const authenticate = (ctx: BackgroundContext, timeout?: number) =>
    route(ctx, SELF, { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE, ...(timeout ? { timeout } : {}) } }, page());

  it('wrong PIN then right: the same dialog asks again with the tries left', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([pin('0000'), pin('1234')]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: true });
    expect(prompt.opened).toBe(1);
    expect(prompt.states[1]).toMatchObject({ phase: 'enter', retriesLeft: 2, error: { code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 } });
  });

  it('a malformed PIN from a tampered dialog never reaches the host', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([pin('12a4'), { type: 'cancel' }]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_CANCELLED' } });
    expect(host.requests.map((r) => r.command)).toEqual(['status']);
    expect(prompt.states[1]?.error).toEqual({ code: 'ERR_JPKI_PIN_FORMAT' });
  });

  it('one try left: the dialog starts in confirm-last-try and the PIN goes with confirmLastTry', async () => {
    const { host } = cardHost({ retries: { auth: 1, sign: 5 } });
    const prompt = fakePrompt([pin('1234', true)]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: true });
    expect(prompt.states[0]).toMatchObject({ phase: 'confirm-last-try', retriesLeft: 1 });
    expect(host.requests.find((r) => r.command === 'authenticate')?.arguments.confirmLastTry).toBe(true);
  });

  it('the host asking for confirmation (PIN_LAST_TRY) moves the dialog to confirm-last-try', async () => {
    const { host } = cardHost({ retries: { auth: 2, sign: 5 } });
    const prompt = fakePrompt([pin('0000'), pin('1234', true)]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: true });
    expect(prompt.states[1]).toMatchObject({ phase: 'confirm-last-try', retriesLeft: 1 });
  });

  it('a confirmLastTry from the dialog is not forwarded unless the dialog was in confirm-last-try', async () => {
    const { host } = cardHost();
    await authenticate(fakeContext(host, fakePrompt([pin('1234', true)])));
    expect(host.requests.find((r) => r.command === 'authenticate')?.arguments).not.toHaveProperty('confirmLastTry');
  });

  it('locked: the dialog explains and the page gets PIN_LOCKED', async () => {
    const { host } = cardHost({ retries: { auth: 0, sign: 5 } });
    const prompt = fakePrompt([{ type: 'close' }]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_PIN_LOCKED' } });
    expect(prompt.states[0]).toMatchObject({ phase: 'locked' });
    expect(host.requests.map((r) => r.command)).toEqual(['status']);
  });

  it('the last wrong try locks: dialog shows locked, page gets PIN_LOCKED', async () => {
    const { host } = cardHost({ retries: { auth: 1, sign: 5 } });
    const prompt = fakePrompt([pin('0000', true), { type: 'close' }]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_PIN_LOCKED' } });
    expect(prompt.states[1]).toMatchObject({ phase: 'locked' });
  });

  it('answers the page first, then closes the dialog and the host port', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([pin('1234')]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: true, result: TOKEN });
    expect(prompt.closed).toBe(0);
    expect(host.closed).toBe(0);
    await afterTheAnswer();
    expect(prompt.closed).toBe(1);
    expect(host.closed).toBe(host.opened);
  });

  it('cancel → USER_CANCELLED, dialog and port closed', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([{ type: 'cancel' }]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_CANCELLED' } });
    await afterTheAnswer();
    expect(prompt.closed).toBe(1);
    expect(host.closed).toBe(host.opened);
  });

  it('timeout → USER_TIMEOUT, dialog and port closed, lock released', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt(['hang', pin('1234')]);
    const ctx = fakeContext(host, prompt);
    const started = Date.now();
    expect(await authenticate(ctx, 1_000)).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_TIMEOUT' } });
    await afterTheAnswer();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(prompt.closed).toBe(1);
    expect(host.closed).toBe(host.opened);
    expect(ctx.lock.busy).toBe(false);
    expect(await authenticate(ctx)).toMatchObject({ ok: true });
  });

  it('a dialog that finishes opening after the operation ended is closed, not left behind', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt(['hang']);
    let opened!: () => void;
    const slow: BackgroundContext['openPrompt'] = () => new Promise((resolve) => (opened = () => resolve(prompt.open())));
    const ctx = { ...fakeContext(host, prompt), openPrompt: slow };
    expect(await authenticate(ctx, 1_000)).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_TIMEOUT' } });
    opened(); // the window's port connects only now
    await new Promise((r) => setTimeout(r, 10));
    expect(prompt.opened).toBe(1);
    expect(prompt.closed).toBe(1);
    expect(prompt.states).toHaveLength(0); // it never asked for a PIN
  });

  it('the requesting tab going away cancels the dialog (USER_CANCELLED), and only that tab is watched', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt(['hang']);
    const watched: number[] = [];
    let disposed = 0;
    const ctx: BackgroundContext = {
      ...fakeContext(host, prompt),
      watchTab: (tabId) => {
        watched.push(tabId);
        return { gone: new Promise<never>((_, reject) => setTimeout(() => reject(new JpkiError('ERR_JPKI_USER_CANCELLED')), 50)), dispose: () => disposed++ };
      },
    };
    expect(await authenticate(ctx)).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_CANCELLED' } });
    expect(watched).toEqual([1]);
    await afterTheAnswer();
    expect(disposed).toBe(1);
    expect(prompt.closed).toBe(1);
    expect(host.closed).toBe(host.opened);
  });

  it('the port is closed after an error from the host too', async () => {
    const host = fakeHost((c) => {
      if (c === 'status') return statusResult();
      throw new JpkiError('ERR_JPKI_CARD_REMOVED');
    });
    const prompt = fakePrompt([pin('1234')]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_CARD_REMOVED' } });
    await afterTheAnswer();
    expect(host.closed).toBe(host.opened);
    expect(prompt.closed).toBe(1);
  });
});

describe('route: portal', () => {
  const di = (hash: string) =>
    btoa(String.fromCharCode(...[0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]) + hash);
  const UUID = '0123456789abcdef0123456789abcdef';
  const CODE = 'c'.repeat(64);
  const identity = { uuid: UUID, combinationCode: CODE };
  const portalMessage = (detail: unknown) => ({ channel: 'portal', detail });

  it('is refused on origins not on the allow-list', async () => {
    const { host } = cardHost();
    const out = await route(fakeContext(host, fakePrompt([])), SELF, portalMessage({ mode: '01', service_id: '01', digest: di('h'.repeat(32)) }), page());
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
    const hello = await route(fakeContext(host, fakePrompt([])), SELF, { channel: 'portal-hello' }, page());
    expect(hello).toEqual({ allowed: false, inputs: {} });
    expect(host.opened).toBe(0);
  });

  it('mode 01 sends the digest to the host as it is and answers uuid, signature, the certificate without padding and combination_code', async () => {
    const calls: Record<string, unknown>[] = [];
    const host = fakeHost((c, a) => (c === 'status' ? statusResult() : (calls.push(a), { signature: 'SIG=', certificate: 'MAA=', ...identity })));
    const ctx = fakeContext(host, fakePrompt([pin('1234')]), ['*.example']);
    const digest = btoa('not a DigestInfo');
    const out = await route(ctx, SELF, portalMessage({ mode: '01', service_id: '01', digest }), page());
    expect(out).toEqual({ ok: true, result: { mode: '01', result: '0', uuid: UUID, signature: 'SIG=', certificate: 'MAA', combination_code: CODE } });
    expect(Object.keys((out as { result: object }).result)).toEqual(['mode', 'result', 'uuid', 'signature', 'certificate', 'combination_code']);
    expect(calls).toEqual([{ origin: 'https://rp.example', digest, pin: '1234' }]);
  });

  it('mode 02 with an array signs each digest and answers an array, with one PIN entry', async () => {
    const host = fakeHost((c, a) =>
      c === 'status' ? statusResult() : { certificate: 'MAA=', signatures: (a.digests as string[]).map(() => 'SIG='), ...identity },
    );
    const prompt = fakePrompt([pin('ABC123')]);
    const ctx = fakeContext(host, prompt, ['*.example']);
    const out = await route(ctx, SELF, portalMessage({ mode: '02', service_id: '01', digest: [di('a'.repeat(32)), di('b'.repeat(32))] }), page());
    expect(out).toEqual({ ok: true, result: { mode: '02', result: '0', uuid: UUID, signature: ['SIG=', 'SIG='], certificate: 'MAA', combination_code: CODE } });
    expect(prompt.states).toHaveLength(1);
    expect(prompt.states[0]).toMatchObject({ use: 'portal-sign', kind: 'sign', site: 'added', count: 2 });
  });

  it('mode 02 with a single string answers an array of one signature too, as the reference client does', async () => {
    const host = fakeHost((c, a) =>
      c === 'status' ? statusResult() : { certificate: 'MAA=', signatures: (a.digests as string[]).map(() => 'SIG='), ...identity },
    );
    const out = await route(
      fakeContext(host, fakePrompt([pin('ABC123')]), ['*.example']),
      SELF,
      portalMessage({ mode: '02', service_id: '01', digest: di('a'.repeat(32)) }),
      page(),
    );
    expect(out).toMatchObject({ ok: true, result: { mode: '02', signature: ['SIG='] } });
  });

  it('mode 04 asks for the text PIN and answers the four items as the hex of their UTF-8 bytes', async () => {
    const calls: Record<string, unknown>[] = [];
    const card = { name: 'デジタル 太郎', address: '東京都千代田区霞が関2-1-2', birthday: '19850401', sex: '1' };
    const host = fakeHost((c, a) => (c === 'status' ? statusResult() : (calls.push({ command: c, ...a }), { ...card, ...identity })));
    const prompt = fakePrompt([pin('1234')]);
    const out = await route(fakeContext(host, prompt, ['*.example']), SELF, portalMessage({ mode: '04', service_id: '01' }), page());
    const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
    expect(out).toEqual({
      ok: true,
      result: {
        mode: '04',
        result: '0',
        uuid: UUID,
        name: hex(card.name),
        sex: '31',
        address: hex(card.address),
        birthday: hex('19850401'),
        combination_code: CODE,
      },
    });
    expect(Object.keys((out as { result: object }).result)).toEqual(['mode', 'result', 'uuid', 'name', 'sex', 'address', 'birthday', 'combination_code']);
    expect(prompt.states[0]).toMatchObject({ use: 'portal-text', kind: 'text', maxTries: 3, retriesLeft: 3, phase: 'enter' });
    expect(calls).toEqual([{ command: 'portal-text', origin: 'https://rp.example', pin: '1234' }]);
  });

  it('mode 04 with one text PIN try left opens in the last-try state, and with none in the locked state without touching the card', async () => {
    const host = fakeHost((c) =>
      c === 'status' ? statusResult({ auth: 3, sign: 5, text: 1 }) : { name: '', address: '', birthday: '', sex: '9', ...identity },
    );
    const prompt = fakePrompt([pin('1234', true)]);
    expect(await route(fakeContext(host, prompt, ['*.example']), SELF, portalMessage({ mode: '04', service_id: '01' }), page())).toMatchObject({ ok: true });
    expect(prompt.states[0]).toMatchObject({ phase: 'confirm-last-try', retriesLeft: 1 });
    const calls: string[] = [];
    const locked = fakeHost((c) => (calls.push(c), c === 'status' ? statusResult({ auth: 3, sign: 5, text: 0 }) : {}));
    const lockedPrompt = fakePrompt([{ type: 'close' }]);
    expect(await route(fakeContext(locked, lockedPrompt, ['*.example']), SELF, portalMessage({ mode: '04', service_id: '01' }), page())).toMatchObject({
      ok: false,
      error: { code: 'ERR_JPKI_PIN_LOCKED' },
    });
    expect(lockedPrompt.states[0]).toMatchObject({ phase: 'locked' });
    expect(calls).toEqual(['status']);
  });

  it.each([
    ['missing', { mode: '01', digest: 'AAAA' }],
    ['"02"', { mode: '01', service_id: '02', digest: 'AAAA' }],
    ['a number', { mode: '02', service_id: 1, digest: 'AAAA' }],
    ['missing in mode 04', { mode: '04' }],
  ])('a service_id %s is INVALID_REQUEST before any dialog or host contact', async (_what, detail) => {
    const { host } = cardHost();
    const prompt = fakePrompt([pin('1234')]);
    const out = await route(fakeContext(host, prompt, ['*.example']), SELF, portalMessage(detail), page());
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_REQUEST' } });
    expect(prompt.opened).toBe(0);
    expect(host.opened).toBe(0);
  });

  it('mode 05 closes at once, with or without a service_id, and nothing is asked', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([]);
    for (const detail of [{ mode: '05' }, { mode: '05', service_id: '01' }]) {
      expect(await route(fakeContext(host, prompt, ['*.example']), SELF, portalMessage(detail), page())).toEqual({
        ok: true,
        result: { mode: '05', result: '0' },
      });
    }
    expect(prompt.opened).toBe(0);
    expect(host.opened).toBe(0);
  });

  it('a login token block in mode 01 or 02 is INVALID_HASH before any dialog or host contact', async () => {
    const { host } = cardHost();
    const prompt = fakePrompt([pin('1234'), pin('ABC123')]);
    const ctx = fakeContext(host, prompt, ['*.example']);
    const block = btoa(String.fromCharCode(...buildAuthBlock(new Uint8Array(32).fill(7))));
    for (const detail of [
      { mode: '01', service_id: '01', digest: block },
      { mode: '02', service_id: '01', digest: [di('a'.repeat(32)), block] },
    ]) {
      const out = await route(ctx, SELF, portalMessage(detail), page());
      expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_HASH' } });
    }
    expect(prompt.opened).toBe(0);
    expect(host.opened).toBe(0);
  });

  it('hello on every allow-listed page load shares the host-version cache with jpki:status: one host start per 30 s', async () => {
    let clock = 0;
    const { host } = cardHost();
    const ctx = { ...fakeContext(host, fakePrompt([]), ['*.example']), hostVersionCache: new HostVersionCache(() => clock) };
    for (let i = 0; i < 5; i++)
      expect(await route(ctx, SELF, { channel: 'portal-hello' }, page())).toMatchObject({ allowed: true, inputs: { 'app-is-installed': '29' } });
    expect(await route(ctx, SELF, { channel: 'page', action: 'jpki:status', request: {} }, page())).toMatchObject({ ok: true });
    expect(host.opened).toBe(1);
    clock += HOST_VERSION_TTL_MS;
    await route(ctx, SELF, { channel: 'portal-hello' }, page());
    expect(host.opened).toBe(2);
  });

  it('hello without a host sets only #extension-is-installed', async () => {
    const absent = fakeHost(() => ({}), { disconnectReason: 'Specified native messaging host not found.' });
    const hello = await route(fakeContext(absent, fakePrompt([]), ['*.example']), SELF, { channel: 'portal-hello' }, page());
    expect(hello).toEqual({ allowed: true, inputs: { 'extension-is-installed': '24' } });
  });

  it('hello on an allow-listed origin with a host sets both inputs to the compatibility levels, not our version', async () => {
    const { host } = cardHost();
    const hello = await route(fakeContext(host, fakePrompt([]), ['*.example']), SELF, { channel: 'portal-hello' }, page());
    expect(hello).toEqual({ allowed: true, inputs: { 'extension-is-installed': '24', 'app-is-installed': '29' } });
    expect(host.closed).toBe(host.opened);
  });
});
