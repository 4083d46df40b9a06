/**
 * What stands between a page and the PIN dialog, each attack tried and refused: a request from a
 * document whose origin is not its URL's (a CSP-sandboxed page on Firefox, where the background
 * had only sender.url), a dialog opened without the user's activation (a background tab, a
 * timer), a page reopening the dialog as fast as the user closes it, and a site the user blocked.
 */
import { describe, expect, it, vi } from 'vitest';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { operationOfPortalMode } from '@jpki-bridge/shared/operations';
import { DialogRateLimit, DIALOG_LIMIT } from '../../extension/src/background/dialog-rate-limit.ts';
import { OperationLock } from '../../extension/src/background/operation-lock.ts';
import { route } from '../../extension/src/background/router.ts';
import { originOfRequest } from '../../extension/src/background/sender.ts';
import { pageActionNeedsActivation, portalOperationNeedsActivation } from '../../extension/src/background/user-activation.ts';
import { portalOperationOf } from '../../extension/src/background/actions/portal.ts';
import type { BackgroundContext } from '../../extension/src/background/context.ts';
import { startPageApi } from '../../extension/src/content/page-api.ts';
import type { PageMessage } from '../../extension/src/messages.ts';
import { fakeHost, statusResult } from './extension-fakes/fake-native.ts';
import { afterTheAnswer, fakePrompt, type FakePrompt } from './extension-fakes/fake-prompt.ts';
import { FakeWindow, tick } from './extension-fakes/fake-window.ts';

const SELF = { id: 'ext', baseUrl: 'chrome-extension://ext/' };
const NONCE = 'q'.repeat(43) + '=';
const RP = 'https://rp.example';
const PORTAL = 'https://portal.example';
const CITY = 'https://city.example';
const DIGEST_INFO = btoa(
  String.fromCharCode(
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20,
    ...new Array(32).fill(7),
  ),
);

/** Our content script in a top frame, as Chromium (sender.origin) or Firefox (sender.url only) describes it. */
const chromium = (origin: string) => ({ id: 'ext', url: `${origin}/page`, origin, tab: { id: 1 }, frameId: 0 });
const firefox = (url: string) => ({ id: 'ext', url, tab: { id: 1 }, frameId: 0 });

function setup(options: { blocked?: string[]; limit?: DialogRateLimit } = {}) {
  const host = fakeHost((command) => (command === 'status' ? statusResult() : { token: 'x' }));
  const prompt: FakePrompt = fakePrompt([]);
  const ctx: BackgroundContext = {
    connect: host.connect,
    openPrompt: prompt.open,
    lock: new OperationLock(),
    allowList: async () => [PORTAL, CITY],
    isBlocked: async (origin) => (options.blocked ?? []).includes(origin),
    dialogLimit: options.limit ?? new DialogRateLimit(),
    extensionVersion: '0.1.0',
    helloTimeoutMs: 200,
    requestTimeoutMs: 500,
  };
  return { host, prompt, ctx };
}

const login = (origin: string, active = true) => ({
  channel: 'page',
  action: 'jpki:authenticate',
  request: { challengeNonce: NONCE, timeout: 1_000 },
  origin,
  active,
});
const launch = (origin: string, detail: unknown, active = true) => ({ channel: 'portal', detail, origin, active });

describe('the origin the content script reports must be the sender’s', () => {
  it('a sandboxed document on Firefox (window.origin "null", sender.url its site) is refused before anything', async () => {
    const { ctx, host, prompt } = setup();
    for (const message of [login('null'), launch('null', { mode: '01', digest: DIGEST_INFO })]) {
      expect(await route(ctx, SELF, message, firefox(`${PORTAL}/uploads/x.html`))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_ORIGIN' } });
    }
    expect(await route(ctx, SELF, { channel: 'portal-hello', origin: 'null' }, firefox(`${PORTAL}/uploads/x.html`))).toMatchObject({ allowed: false });
    expect(host.opened).toBe(0);
    expect(prompt.opened).toBe(0);
  });

  it('a reported origin that differs from the sender’s, or none at all, is refused', async () => {
    const { ctx, host } = setup();
    expect(await route(ctx, SELF, login('https://elsewhere.example'), chromium(RP))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_ORIGIN' } });
    const { origin: _none, ...unreported } = login(RP);
    expect(await route(ctx, SELF, unreported, chromium(RP))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_ORIGIN' } });
    expect(host.opened).toBe(0);
  });

  it('the same origin on both sides is served (Firefox: the origin of sender.url)', async () => {
    expect(originOfRequest(firefox(`${RP}:8443/login?x#y`), `${RP}:8443`)).toBe(`${RP}:8443`);
    expect(originOfRequest(chromium(RP), RP)).toBe(RP);
    expect(originOfRequest(chromium(RP), `${RP}/`)).toBeNull();
    expect(originOfRequest({ ...chromium(RP), origin: 'null' }, 'null')).toBeNull();
  });

  it('the content script sends its window.origin and the page’s activation with every request', async () => {
    const win = new FakeWindow('https://rp.example');
    const send = vi.fn(async (_m: PageMessage) => ({ ok: true as const, result: {} }));
    startPageApi(win as unknown as Window, send);
    win.postMessage({ action: 'jpki:authenticate', challengeNonce: NONCE, origin: 'https://bank.example' }, win.location.origin);
    await tick(5);
    win.origin = 'null';
    win.navigator.userActivation.isActive = false;
    win.postMessage({ action: 'jpki:authenticate', challengeNonce: NONCE }, win.location.origin);
    await tick(5);
    expect(send.mock.calls.map(([m]) => ({ origin: m.origin, active: m.active }))).toEqual([
      { origin: 'https://rp.example', active: true },
      { origin: 'null', active: false },
    ]);
  });
});

describe('a dialog needs the user’s activation in the page', () => {
  it('a login without transient activation gets USER_ACTIVATION_REQUIRED: no host, no dialog', async () => {
    const { ctx, host, prompt } = setup();
    const { active: _absent, ...unreported } = login(RP);
    for (const message of [login(RP, false), unreported, { ...login(RP), active: 'true' }]) {
      expect(await route(ctx, SELF, message, chromium(RP))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_ACTIVATION_REQUIRED' } });
    }
    expect(host.opened).toBe(0);
    expect(prompt.opened).toBe(0);
  });

  it('with activation the same login opens the dialog', async () => {
    const { ctx, prompt } = setup();
    await route(ctx, SELF, login(RP, true), chromium(RP));
    expect(prompt.opened).toBe(1);
  });

  it('jpki:status and portal close need none; every PIN verb does', () => {
    expect(pageActionNeedsActivation('jpki:status')).toBe(false);
    for (const action of ['jpki:authenticate', 'jpki:get-signing-certificate', 'jpki:sign'] as const) expect(pageActionNeedsActivation(action)).toBe(true);
    const needs = (detail: unknown) => portalOperationNeedsActivation(portalOperationOf(detail));
    expect(needs({ mode: '05' })).toBe(false);
    expect(needs({ mode: '01' })).toBe(true);
    expect(needs({ mode: '02' })).toBe(true);
  });

  it('a portal detail that names no known mode needs activation too (no reading of it can slip past)', () => {
    // `undefined`: what the content script sends for a detail that is not JSON.
    for (const detail of [{ digest: DIGEST_INFO }, { mode: 1 }, { mode: '5' }, undefined, '{"mode":"05"}', null, 42, [{ mode: '05' }]]) {
      expect(portalOperationNeedsActivation(portalOperationOf(detail)), JSON.stringify(detail)).toBe(true);
    }
  });

  it('a portal detail without a mode is no row at all: INVALID_REQUEST with activation, no dialog (not the status row)', async () => {
    expect(operationOfPortalMode(undefined)).toBeUndefined();
    const { ctx, prompt } = setup();
    expect(await route(ctx, SELF, launch(PORTAL, { service_id: '01', digest: DIGEST_INFO }), chromium(PORTAL))).toMatchObject({
      ok: false,
      error: { code: 'ERR_JPKI_INVALID_REQUEST' },
    });
    expect(prompt.opened).toBe(0);
  });

  it('a portal page that the user never acted on (no sticky activation) gets no dialog', async () => {
    const { ctx, prompt, host } = setup();
    const out = await route(ctx, SELF, launch(PORTAL, { mode: '01', service_id: '01', digest: DIGEST_INFO }, false), chromium(PORTAL));
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_ACTIVATION_REQUIRED' } });
    expect(prompt.opened).toBe(0);
    expect(host.opened).toBe(0);
  });
});

describe('at most DIALOG_LIMIT dialogs per origin and minute', () => {
  it('the next dialog past the limit is RATE_LIMITED without a window; another origin is not affected; the window slides', async () => {
    let now = 0;
    const limit = new DialogRateLimit({ ...DIALOG_LIMIT, max: 3 }, undefined, () => now);
    for (let i = 0; i < 3; i++) await limit.take(RP);
    await expect(limit.take(RP)).rejects.toMatchObject({ code: 'ERR_JPKI_RATE_LIMITED' });
    await limit.take(PORTAL);
    now = 59_999;
    await expect(limit.take(RP)).rejects.toThrow(JpkiError);
    now = 60_001; // the first three fell out of the window: three more fit
    for (let i = 0; i < 3; i++) await limit.take(RP);
    await expect(limit.take(RP)).rejects.toMatchObject({ code: 'ERR_JPKI_RATE_LIMITED' });
  });

  it('a page reopening the dialog each time the user cancels it gets RATE_LIMITED at DIALOG_LIMIT.max + 1', async () => {
    const { ctx, host } = setup();
    const prompt = fakePrompt(Array.from({ length: DIALOG_LIMIT.max + 5 }, () => ({ type: 'cancel' as const })));
    const spam = { ...ctx, openPrompt: prompt.open };
    const codes: string[] = [];
    for (let i = 0; i <= DIALOG_LIMIT.max; i++) {
      const out = (await route(spam, SELF, login(RP), chromium(RP))) as { ok: false; error: { code: string } };
      codes.push(out.error.code);
    }
    expect(codes.slice(0, DIALOG_LIMIT.max)).toEqual(Array(DIALOG_LIMIT.max).fill('ERR_JPKI_USER_CANCELLED'));
    expect(codes.at(-1)).toBe('ERR_JPKI_RATE_LIMITED');
    await afterTheAnswer();
    expect(prompt.opened).toBe(DIALOG_LIMIT.max);
    expect(host.closed).toBe(host.opened);
    // Another site is still served at once.
    await route(spam, SELF, login('https://other.example'), chromium('https://other.example'));
    expect(prompt.opened).toBe(DIALOG_LIMIT.max + 1);
  });

  it('requests refused before a dialog (malformed, pending) cost nothing', async () => {
    // The clock stands still: only the count of dialogs decides.
    const { ctx, prompt } = setup({ limit: new DialogRateLimit({ ...DIALOG_LIMIT, max: 1 }, undefined, () => 0) });
    for (let i = 0; i < 5; i++) {
      const bad = { ...login(RP), request: { challengeNonce: 'short' } };
      expect(await route(ctx, SELF, bad, chromium(RP))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_NONCE' } });
    }
    await route(ctx, SELF, login(RP), chromium(RP));
    expect(prompt.opened).toBe(1);
  });
});

describe('a site the user blocked', () => {
  it('gets ORIGIN_NOT_ALLOWED for every request and no portal inputs, without a dialog or the host', async () => {
    const { ctx, host, prompt } = setup({ blocked: [PORTAL] });
    expect(await route(ctx, SELF, login(PORTAL), chromium(PORTAL))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
    expect(await route(ctx, SELF, { channel: 'page', action: 'jpki:status', request: {}, origin: PORTAL, active: true }, chromium(PORTAL))).toMatchObject({
      ok: false,
      error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' },
    });
    expect(await route(ctx, SELF, launch(PORTAL, { mode: '01', service_id: '01', digest: DIGEST_INFO }), chromium(PORTAL))).toMatchObject({
      ok: false,
      error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' },
    });
    expect(await route(ctx, SELF, { channel: 'portal-hello', origin: PORTAL }, chromium(PORTAL))).toMatchObject({ allowed: false });
    expect(host.opened).toBe(0);
    expect(prompt.opened).toBe(0);
  });

  it('other sites are served as before', async () => {
    const { ctx, prompt } = setup({ blocked: [PORTAL] });
    await route(ctx, SELF, login(RP), chromium(RP));
    expect(prompt.opened).toBe(1);
    expect(await route(ctx, SELF, { channel: 'portal-hello', origin: CITY }, chromium(CITY))).toMatchObject({ allowed: true });
  });
});
