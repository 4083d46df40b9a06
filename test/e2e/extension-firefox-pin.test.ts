/**
 * Firefox for real: a login (also after a wrong PIN), a signature, the portal protocol's mode 01
 * and the Windows presentation of an allow-listed site in firefox-esr with
 * windows (under Xvfb), the host installed by `jpki-bridge install --browser firefox --user` into
 * the profile's HOME, the real pcscd and the virtual card. Each flow starts from a click on the
 * page (WebDriver BiDi); the PIN is typed with xdotool into the extension's own dialog window, as
 * a user's keyboard does, then Enter. The portal page's origin is added on the options page the
 * same way (tabbed to, typed, Enter). Screenshots of the dialog (PIN typed, masked) and of the
 * result page, and of the options page with the site added, go to test-output/firefox/, the signing
 * and portal ones (and the dialog after a wrong PIN) also to docs/screenshots/ when asked (toDocs). The token, the
 * signatures and the portal answer are verified here; the dialog's text is read by copying it
 * (Ctrl+A, Ctrl+C) and reading the clipboard from the page.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { WINDOWS, windowsUserAgent } from '../../extension/src/lib/windows-identity.ts';
import { extensionMessage, type FirefoxSession, launchFirefox } from '../../tools/dev/firefox.ts';
import { PIN_DIALOG_TITLE, waitForPinDialog } from '../../tools/dev/firefox-dialog.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { findWindow, pressKeys, screenshotDisplay, typeInto, windowExists } from '../../tools/dev/x-input.ts';
import { type VirtualDisplay, startXvfb } from '../../tools/dev/xvfb.ts';
import { combinationCode, FIXTURES, newNonce, toDocs, verifyToken } from './extension-setup.ts';

const OUT = fileURLToPath(new URL('../../test-output/firefox/', import.meta.url));

let display: VirtualDisplay;
let card: ServedCard;
let server: StaticServer;
let firefox: FirefoxSession;
let page: Page;
/** The portal site's verifier (relying-party/src/verifier). */
let site: JpkiVerifier;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cardState = async () => JSON.parse(await readFile(card.stateFile, 'utf8'));
beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  await ensurePcscd();
  card = await serveCard({ stateFile: await createCardState({ persona: 'adult' }), port: 35963 });
  server = await serveStatic({ root: FIXTURES });
  // It trusts the virtual card's development CA, as a real site trusts the J-LIS roots.
  site = new JpkiVerifier({
    trustAnchors: trustAnchorsFrom(Buffer.from((await cardState()).ca.auth.certificate, 'base64'), 'virtual card: development CA (auth)'),
    policies: JPKI_TEST_POLICY_OIDS,
    origin: server.url,
    revocation: 'not-checked',
  });
  display = await startXvfb();
  firefox = await launchFirefox({ display: display.display });
  page = await firefox.openPage(`${server.url}/firefox.html`);
});
afterAll(async () => {
  await firefox?.close();
  await display?.stop();
  await server?.close();
  await card?.stop();
});

/** Clicks `button` on the page with `request` set (window.outcome cleared). */
async function click(button: string, request: unknown): Promise<void> {
  await page.evaluate((r) => {
    (window as any).request = r;
    (window as any).outcome = null;
  }, request);
  await page.click(`#${button}`);
}

/**
 * Clicks `button` on the page with `request` set, types `pin` into the PIN dialog window and
 * presses Enter; screenshots `<name>-dialog.png` (PIN typed) and `<name>-result.png`, copied to
 * docs/screenshots/firefox-<name>-….png when `docs`. `before(dialog)`: what happens in the
 * dialog window first (e.g. a wrong PIN).
 */
async function throughTheDialog(
  button: string,
  request: unknown,
  pin: string,
  name: string,
  { docs = false, before }: { docs?: boolean; before?: (dialog: string) => Promise<void> } = {},
): Promise<any> {
  await click(button, request);
  const dialog = await waitForPinDialog(display.display);
  await before?.(dialog);
  await typeInto(display.display, dialog, pin);
  await screenshotDisplay(display.display, `${OUT}${name}-dialog.png`);
  await pressKeys(display.display, dialog, 'Return');
  await page.waitForFunction(() => (window as any).outcome !== null, { timeout: 30_000 });
  // The background closes the dialog when the operation ends.
  for (let i = 0; i < 50 && (await windowExists(display.display, dialog)); i++) await sleep(100);
  expect(await windowExists(display.display, dialog)).toBe(false);
  await page.screenshot({ path: `${OUT}${name}-result.png` });
  if (docs) for (const shot of ['dialog', 'result']) await toDocs(`${OUT}${name}-${shot}.png`, `firefox-${name}-${shot}.png`);
  return page.evaluate(() => (window as any).outcome);
}

/** The hidden inputs the content script sets on an allow-listed portal page (null when absent). */
const hiddenInputs = () =>
  page.evaluate(() => ({
    extension: (document.getElementById('extension-is-installed') as HTMLInputElement | null)?.value ?? null,
    app: (document.getElementById('app-is-installed') as HTMLInputElement | null)?.value ?? null,
  }));

describe('Firefox: PIN flows typed into the extension’s own window', () => {
  it('a login (jpki:authenticate) gives a token that verifies for the page’s origin and the nonce', async () => {
    const nonce = newNonce();
    const out = await throughTheDialog('login', { nonce }, VIRTUAL_PINS.auth, 'login');
    expect(out).toMatchObject({ ok: true });
    expect(verifyToken(out.result, server.url, nonce)).toBe(true);
    expect(verifyToken(out.result, 'https://bank.example', nonce)).toBe(false);
  });

  it('a wrong PIN leaves the dialog open with the tries left (2 of 3); the right one then logs in and the card is back at 3', async () => {
    const nonce = newNonce();
    const out = await throughTheDialog('login', { nonce }, VIRTUAL_PINS.auth, 'login-after-wrong-pin', {
      before: async (dialog) => {
        await typeInto(display.display, dialog, '9999');
        await pressKeys(display.display, dialog, 'Return');
        for (let i = 0; i < 100 && (await cardState()).pins.auth.retriesLeft !== 2; i++) await sleep(100);
        expect((await cardState()).pins.auth.retriesLeft).toBe(2);
        await sleep(500); // the background's answer to the dialog, rendered
        await screenshotDisplay(display.display, `${OUT}wrong-pin.png`);
        await toDocs(`${OUT}wrong-pin.png`, 'firefox-wrong-pin.png');
        // Out of the PIN field (to Cancel) so that Ctrl+A selects the page, copied; then back.
        await pressKeys(display.display, dialog, 'Tab', 'ctrl+a', 'ctrl+c');
        const text = await firefox.readClipboard(page);
        await pressKeys(display.display, dialog, 'shift+Tab');
        const either = (key: string, subs: Record<string, number>) => [extensionMessage('ja', key, subs), extensionMessage('en', key, subs)];
        expect(either('triesLeft', { count: 2, max: 3 }).some((message) => text.includes(message))).toBe(true);
        expect(either('wrongPin', { count: 2 }).some((message) => text.includes(message))).toBe(true);
        // Still the one request in the one dialog: the page has no answer yet.
        expect(await findWindow(display.display, PIN_DIALOG_TITLE)).toBe(dialog);
        expect(await page.evaluate(() => (window as any).outcome)).toBeNull();
      },
    });
    expect(out).toMatchObject({ ok: true });
    expect(verifyToken(out.result, server.url, nonce)).toBe(true);
    expect((await cardState()).pins.auth.retriesLeft).toBe(3);
  });

  it('a signature (jpki:sign) with the signing PIN verifies against the signing certificate', async () => {
    const texts = ['申告書', '添付書類'];
    const hashes = texts.map((text) => createHash('sha256').update(text).digest('base64'));
    // Typed in lowercase, as a user might: the dialog upper-cases the signing PIN.
    const out = await throughTheDialog('sign', { hashes }, VIRTUAL_PINS.sign.toLowerCase(), 'sign', { docs: true });
    expect(out).toMatchObject({ ok: true, result: { signatureAlgorithm: { cryptoAlgorithm: 'RSA', hashFunction: 'SHA-256', paddingScheme: 'PKCS1.5' } } });
    const certificate = new X509Certificate(Buffer.from(out.result.certificate, 'base64'));
    expect(out.result.signatures).toHaveLength(2);
    texts.forEach((text, i) => {
      expect(verify('sha256', Buffer.from(text), certificate.publicKey, Buffer.from(out.result.signatures[i], 'base64'))).toBe(true);
    });
  });
});

describe('Firefox: portal mode 01 on a site the user added on the options page', () => {
  it('off the allow-list the page has no hidden inputs, and a launchApp gets no answer and opens no dialog', async () => {
    expect(await hiddenInputs()).toEqual({ extension: null, app: null });
    await click('portal', { mode: '01', service_id: '01', digest: (await site.issueUnboundPortalChallenge()).digestInfo });
    await sleep(3_000);
    expect(await page.evaluate(() => (window as any).outcome)).toBeNull();
    expect(await findWindow(display.display, PIN_DIALOG_TITLE)).toBeNull();
  });

  it('the origin typed into the options page turns the portal surface on: the hidden inputs at levels 24 and 29', async () => {
    await firefox.allowPortalOrigin(server.url, { screenshot: `${OUT}portal-options.png` });
    await toDocs(`${OUT}portal-options.png`, 'firefox-portal-options.png');
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('app-is-installed') !== null, { timeout: 10_000 });
    expect(await hiddenInputs()).toEqual({ extension: '24', app: '29' });
  });

  it('mode 01 from a click, the auth PIN typed into the dialog: result "0", the auth certificate, a signature the relying party accepts, this installation’s uuid and combination code', async () => {
    const challenge = await site.issueUnboundPortalChallenge();
    const answer = await throughTheDialog('portal', { mode: '01', service_id: '01', digest: challenge.digestInfo }, VIRTUAL_PINS.auth, 'portal', {
      docs: true,
    });
    expect(Object.keys(answer)).toEqual(['mode', 'result', 'uuid', 'signature', 'certificate', 'combination_code']);
    expect(answer).toMatchObject({ mode: '01', result: '0' });
    expect(answer.certificate).not.toContain('='); // base64 without padding, as the portal gets it
    const state = await cardState();
    expect(new X509Certificate(Buffer.from(answer.certificate, 'base64')).raw.toString('base64')).toBe(state.auth.certificate);
    expect(await site.verifyUnboundPortalLogin({ nonce: challenge.nonce, signature: answer.signature, certificate: answer.certificate })).toMatchObject({
      ok: true,
      certificateInfo: { kind: 'auth' },
    });
    const uuid = (await readFile(`${firefox.configHome}/jpki-bridge/installation-uuid`, 'utf8')).trim();
    expect(answer.uuid).toBe(uuid);
    expect(answer.combination_code).toBe(combinationCode(state.cardId.manufactureNumber, uuid));
    expect(JSON.stringify(answer)).not.toContain(state.cardId.manufactureNumber);
  });
});

/** What an os.html page of `origin` sees of the OS, and the User-Agent of its load and of its fetch as `via` got them. */
async function visitOs(via: StaticServer, origin: string) {
  const from = via.requests.length;
  const osPage = await firefox.openPage(`${origin}/os.html`);
  try {
    const seen = await osPage.evaluate(async () => ({
      ...(await (window as any).seen()),
      oscpu: (navigator as any).oscpu,
      hasUserAgentData: 'userAgentData' in navigator,
    }));
    const userAgents = via.requests
      .slice(from)
      .filter((r) => r.path.startsWith('/os.html'))
      .map((r) => r.headers['user-agent']);
    return { seen, userAgents };
  } finally {
    await osPage.close();
  }
}

describe('Firefox: an allow-listed site presented as Windows, every other page untouched', () => {
  /** The same server reached as 127.0.0.1: another origin, not on the list. */
  const unlisted = () => `http://127.0.0.1:${server.port}`;
  /** What Firefox says of itself here (X11; Linux), read on a page off the list. */
  let linux: { userAgent: string; appVersion: string; platform: string; oscpu: string };

  it('off the list (127.0.0.1) the page and the server see Firefox’s own Linux user agent; no userAgentData', async () => {
    const { seen, userAgents } = await visitOs(server, unlisted());
    linux = { userAgent: seen.userAgent, appVersion: seen.appVersion, platform: seen.platform, oscpu: seen.oscpu };
    expect(linux.userAgent).toMatch(/X11; Linux/);
    expect(linux.userAgent).toContain('Firefox/');
    expect(linux.platform).toMatch(/^Linux/);
    expect(linux.oscpu).toMatch(/Linux/);
    expect(seen.hasUserAgentData).toBe(false);
    expect(userAgents).toEqual([linux.userAgent, linux.userAgent]); // the page itself and its fetch
  });

  it('the site added on the options page sees Linux until its switch is on', async () => {
    const { seen, userAgents } = await visitOs(server, server.url);
    expect(seen).toMatchObject(linux);
    expect(userAgents).toEqual([linux.userAgent, linux.userAgent]);
  });

  it('with its switch turned on: the User-Agent of the page load and of its fetch, and so navigator.userAgent, are the extension’s Windows user agent; the rest of the navigator stays (an origin with a port)', async () => {
    await firefox.allowPortalOrigin(server.url, { presentWindows: true, screenshot: `${OUT}present-windows-options.png` });
    await toDocs(`${OUT}present-windows-options.png`, 'firefox-present-windows-options.png');
    // The background re-registers the script and the rules after the switch's write.
    let visit = await visitOs(server, server.url);
    for (let i = 0; i < 20 && visit.seen.userAgent === linux.userAgent; i++) visit = (await sleep(250), await visitOs(server, server.url));
    const { seen, userAgents } = visit;
    const windows = windowsUserAgent(linux.userAgent);
    expect(windows).toContain(`(${WINDOWS.token}; rv:`);
    expect(windows).not.toMatch(/Linux|X11/);
    // The declarativeNetRequest rule (its URL filter carries the port) sets the header...
    expect(userAgents).toEqual([windows, windows]);
    expect(seen.fetched).toBe(200);
    // ...and Firefox gives the document the User-Agent its request was sent with.
    expect(seen.userAgent).toBe(windows);
    // Firefox's match patterns have no port, so the page-world script registered for
    // `http://localhost:PORT/*` runs nowhere: appVersion, platform and oscpu stay as they are
    // (docs/portal-sites.md; a real portal origin has no port and gets them too).
    expect(seen).toMatchObject({ appVersion: linux.appVersion, platform: linux.platform, oscpu: linux.oscpu });
    // Firefox has no userAgentData, and nothing adds one.
    expect(seen.hasUserAgentData).toBe(false);
    expect(seen.high).toBeNull();
  });

  it('the same server as 127.0.0.1, and localhost on another port, are still untouched', async () => {
    const off = await visitOs(server, unlisted());
    expect(off.seen).toMatchObject(linux);
    expect(off.userAgents).toEqual([linux.userAgent, linux.userAgent]);
    const other = await serveStatic({ root: FIXTURES });
    try {
      const { seen, userAgents } = await visitOs(other, other.url);
      expect(seen).toMatchObject(linux);
      expect(userAgents).toEqual([linux.userAgent, linux.userAgent]);
    } finally {
      await other.close();
    }
  });

  it('a site listed without a port (http://127.0.0.1), switched on beside the one with a port: the page-world script runs in Firefox on every port of that host and says Windows, while the header rule keeps to the default port', async () => {
    await firefox.allowPortalOrigin('http://127.0.0.1', { presentWindows: true });
    let visit = await visitOs(server, unlisted());
    for (let i = 0; i < 20 && visit.seen.platform === linux.platform; i++) visit = (await sleep(250), await visitOs(server, unlisted()));
    const { seen, userAgents } = visit;
    // The script's work (registered with the port-specific pattern beside it, which does not
    // spoil the registration): every navigator field the extension changes, no userAgentData.
    expect(seen).toMatchObject({
      userAgent: windowsUserAgent(linux.userAgent),
      appVersion: WINDOWS.firefoxAppVersion,
      platform: WINDOWS.navigatorPlatform,
      oscpu: WINDOWS.token,
    });
    expect(seen.hasUserAgentData).toBe(false);
    expect(seen.high).toBeNull();
    // `|http://127.0.0.1/` does not match `http://127.0.0.1:PORT/`: the server still gets Linux.
    expect(userAgents).toEqual([linux.userAgent, linux.userAgent]);
  });
});
