/**
 * The background as installed by startBackground(), against WXT's `fakeBrowser`: messages arrive
 * through `runtime.onMessage` with a `runtime.MessageSender`, the extension's identity comes from
 * `runtime.id` / `runtime.getURL`, the portal allow-list from storage.local. (The unit project
 * proves the router's rules with a hand-written identity; this proves the wiring that feeds it.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Runtime } from 'webextension-polyfill';
import { startBackground } from '../../extension/src/background/main.ts';
import { ALLOW_LIST_KEY } from '../../extension/src/settings/storage-keys.ts';
import { originOfSender } from '../../extension/src/background/sender.ts';
import { isFrontTab } from '../../extension/src/background/front-tab.ts';
import { installRuntimePorts } from './runtime-ports.ts';
import { installFakeTabs } from './front-tab-fakes.ts';
import { installOsPresentationFakes } from './os-presentation-fakes.ts';

const EXTENSION_ID = fakeBrowser.runtime.id;
const extensionPage = (path = '/popup.html', extra: Partial<Runtime.MessageSender> = {}): Runtime.MessageSender => ({
  id: fakeBrowser.runtime.id,
  url: fakeBrowser.runtime.getURL(path),
  ...extra,
});
/** What the browser says about our content script in a web page's top frame. */
const contentScript = (where: { url?: string; origin?: string }, frameId = 0): Runtime.MessageSender => ({
  id: EXTENSION_ID,
  tab: { id: 7, index: 0, highlighted: false, active: true, pinned: false, incognito: false },
  frameId,
  ...where,
});

/**
 * Sends like the browser does: every onMessage listener gets the message and the sender. An object
 * message carries what our content script adds, the document's origin (that of the sender) and
 * the page's activation; what each guards is proved in test/unit/extension-page-guards.test.ts.
 */
async function send(message: unknown, sender: Runtime.MessageSender): Promise<unknown> {
  const stamped = typeof message === 'object' && message !== null ? { origin: originOfSender(sender) ?? 'null', active: true, ...message } : message;
  const answers = await fakeBrowser.runtime.onMessage.trigger(stamped, sender);
  expect(answers).toHaveLength(1);
  return answers[0];
}

let connectNative: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fakeBrowser.reset();
  // fakeBrowser leaves runtime.onConnect and connectNative unimplemented: ports as in
  // runtime-ports.ts, and no native host installed (connectNative throws).
  installRuntimePorts();
  installOsPresentationFakes('linux');
  connectNative = vi.fn(() => {
    throw new Error('No such native application jpki_bridge');
  });
  vi.spyOn(fakeBrowser.runtime, 'connectNative').mockImplementation(connectNative as never);
  startBackground();
});
afterEach(() => vi.restoreAllMocks());

describe('background wiring: who may ask what', () => {
  it('installs exactly one runtime.onMessage listener', async () => {
    expect(await fakeBrowser.runtime.onMessage.trigger({ channel: 'something-else' }, extensionPage())).toEqual([undefined]);
  });

  it('an extension page (popup, also opened as a tab) reaches the ui commands', async () => {
    const popup = await send({ channel: 'ui', command: 'host-status' }, extensionPage('/popup.html'));
    expect(popup).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NATIVE_UNAVAILABLE' } });
    const tab = await send(
      { channel: 'ui', command: 'host-status' },
      extensionPage('/options.html', { tab: { id: 3, index: 0, highlighted: false, active: true, pinned: false, incognito: false } }),
    );
    expect(tab).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NATIVE_UNAVAILABLE' } });
    expect(connectNative).toHaveBeenCalledTimes(2);
    expect(connectNative).toHaveBeenCalledWith('jpki_bridge');
  });

  it('change-pin and host-status from a web page are refused before the host is touched', async () => {
    for (const command of ['change-pin', 'host-status']) {
      const out = await send(
        { channel: 'ui', command, kind: 'auth', pin: '1234', newPin: '5678' },
        contentScript({ url: 'https://rp.example/', origin: 'https://rp.example' }),
      );
      expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
    }
    expect(connectNative).not.toHaveBeenCalled();
  });

  it('another extension, or a page of another extension id, is not one of our pages', async () => {
    const other = await send(
      { channel: 'ui', command: 'change-pin', kind: 'auth', pin: '1234', newPin: '5678' },
      { id: 'other-extension', url: 'chrome-extension://other-extension/popup.html' },
    );
    expect(other).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
    const spoofedUrl = await send(
      { channel: 'ui', command: 'host-status' },
      { id: EXTENSION_ID, url: 'https://evil.example/chrome-extension://test-extension-id/' },
    );
    expect(spoofedUrl).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
    expect(connectNative).not.toHaveBeenCalled();
  });

  it('page requests from our own extension pages are refused (content scripts only)', async () => {
    const out = await send(
      { channel: 'page', action: 'jpki:status', request: {} },
      extensionPage('/popup.html', { tab: { id: 3, index: 0, highlighted: false, active: true, pinned: false, incognito: false } }),
    );
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
  });

  it('a content script in a sub-frame is refused', async () => {
    const out = await send({ channel: 'page', action: 'jpki:status', request: {} }, contentScript({ url: 'https://rp.example/' }, 3));
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
    expect(connectNative).not.toHaveBeenCalled();
  });

  it('messages that are not ours are left to other listeners (undefined)', async () => {
    expect(await send({ channel: 'something-else' }, extensionPage())).toBeUndefined();
    expect(await send('jpki:status', contentScript({ url: 'https://rp.example/' }))).toBeUndefined();
  });
});

describe('background wiring: the origin comes from the MessageSender', () => {
  it('http on a public host is refused before the host is touched; http://localhost is served', async () => {
    const evil = await send({ channel: 'page', action: 'jpki:status', request: {} }, contentScript({ url: 'http://rp.example/login' }));
    expect(evil).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_INVALID_ORIGIN' } });
    expect(connectNative).not.toHaveBeenCalled();
    const local = await send({ channel: 'page', action: 'jpki:status', request: {} }, contentScript({ url: 'http://localhost:5173/demo' }));
    expect(local).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NATIVE_UNAVAILABLE' } });
    expect(connectNative).toHaveBeenCalledTimes(1);
  });

  it('portal-hello: sender.origin (Chromium) wins over sender.url, checked against storage.local', async () => {
    await fakeBrowser.storage.local.set({ [ALLOW_LIST_KEY]: ['https://city.example'] });
    expect(await send({ channel: 'portal-hello' }, contentScript({ origin: 'https://city.example', url: 'https://elsewhere.example/p' }))).toMatchObject({
      allowed: true,
    });
    expect(await send({ channel: 'portal-hello' }, contentScript({ origin: 'https://elsewhere.example', url: 'https://city.example/p' }))).toMatchObject({
      allowed: false,
    });
  });

  it('portal-hello: without sender.origin (Firefox) the origin of sender.url is used', async () => {
    await fakeBrowser.storage.local.set({ [ALLOW_LIST_KEY]: ['https://city.example'] });
    expect(await send({ channel: 'portal-hello' }, contentScript({ url: 'https://city.example/login?x#y' }))).toMatchObject({ allowed: true });
    expect(await send({ channel: 'portal-hello' }, contentScript({ url: 'http://city.example/login' }))).toEqual({ allowed: false, inputs: {} });
  });

  it('portal-hello: absent list = the preset; an allowed origin with no host gets #extension-is-installed only', async () => {
    expect(await send({ channel: 'portal-hello' }, contentScript({ url: 'https://myna.go.jp/' }))).toEqual({
      allowed: true,
      inputs: { 'extension-is-installed': '24' },
    });
    expect(connectNative).toHaveBeenCalledTimes(1);
    expect(await send({ channel: 'portal-hello' }, contentScript({ url: 'https://city.example/' }))).toMatchObject({ allowed: false });
    expect(connectNative).toHaveBeenCalledTimes(1); // not allowed: the host is not even asked
  });

  it('the allow-list is read on every request: a change in storage applies at once', async () => {
    const sender = contentScript({ url: 'https://city.example/' });
    expect(await send({ channel: 'portal-hello' }, sender)).toMatchObject({ allowed: false });
    await fakeBrowser.storage.local.set({ [ALLOW_LIST_KEY]: ['https://city.example'] });
    expect(await send({ channel: 'portal-hello' }, sender)).toMatchObject({ allowed: true });
    await fakeBrowser.storage.local.remove(ALLOW_LIST_KEY);
    expect(await send({ channel: 'portal', detail: { mode: '05' } }, sender)).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' } });
  });
});

describe('background wiring: a failure before the router answers', () => {
  it('a storage read that throws in a guard is logged by name and place, without its message', async () => {
    vi.spyOn(fakeBrowser.storage.local, 'get').mockRejectedValue(new TypeError('cannot read "1234"'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const request = { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: 'q'.repeat(43) + '=' } };
    await expect(send(request, contentScript({ origin: 'https://rp.example', url: 'https://rp.example/' }))).rejects.toThrow(TypeError);
    const logged = errors.mock.calls.map((call) => call.join(' ')).join('\n');
    expect(logged).toContain('an unexpected TypeError ended the request');
    expect(logged).not.toContain('1234');
    expect(connectNative).not.toHaveBeenCalled();
  });
});

describe('PIN verbs only from the tab in front (issue 19 finding 6)', () => {
  const authenticate = { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: 'q'.repeat(43) + '=' } };
  const inTab = (id: number): Runtime.MessageSender => ({
    ...contentScript({ origin: 'https://rp.example', url: 'https://rp.example/' }),
    tab: { id, index: 0, highlighted: false, active: false, pinned: false, incognito: false },
  });

  /** A focused window with two tabs: `behind` (not shown) and `front` (the active one). */
  async function browserWindow() {
    const tabs = installFakeTabs();
    const window = await fakeBrowser.windows.create({ focused: true });
    tabs.set(1, { windowId: window.id!, active: false });
    tabs.set(2, { windowId: window.id!, active: true });
    return { window, behind: 1, front: 2 };
  }

  it('isFrontTab: the active tab of the focused window only', async () => {
    const { behind, front } = await browserWindow();
    expect(await isFrontTab(front)).toBe(true);
    expect(await isFrontTab(behind)).toBe(false);
    expect(await isFrontTab(9999)).toBe(false); // a closed tab
    await fakeBrowser.windows.create({ focused: true }); // the user brought another window forward
    expect(await isFrontTab(front)).toBe(false);
  });

  it("a background tab's PIN request gets ERR_JPKI_TAB_NOT_IN_FRONT and no dialog window; the front tab's opens one", async () => {
    const { behind, front } = await browserWindow();
    const created = vi.spyOn(fakeBrowser.windows, 'create');
    expect(await send(authenticate, inTab(behind))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_TAB_NOT_IN_FRONT' } });
    expect(created).not.toHaveBeenCalled();
    expect(connectNative).not.toHaveBeenCalled();
    // From the front tab the request goes on: here no host is installed, so the dialog opens to say so.
    void send(authenticate, inTab(front));
    await vi.waitFor(() => expect(created).toHaveBeenCalledWith(expect.objectContaining({ type: 'popup' })));
  });

  it('jpki:status needs no PIN and is answered to a background tab too', async () => {
    const { behind } = await browserWindow();
    expect(await send({ channel: 'page', action: 'jpki:status', request: {} }, inTab(behind))).toMatchObject({
      ok: false,
      error: { code: 'ERR_JPKI_NATIVE_UNAVAILABLE' },
    });
  });
});
