/**
 * Firefox for real: a login, a signature and the portal protocol's mode 01 in firefox-esr with
 * windows (under Xvfb), the host installed by `jpki-bridge install --browser firefox --user` into
 * the profile's HOME, the real pcscd and the virtual card. Each flow starts from a click on the
 * page (WebDriver BiDi); the PIN is typed with xdotool into the extension's own dialog window, as
 * a user's keyboard does, then Enter. The portal page's origin is added on the options page the
 * same way (tabbed to, typed, Enter). Screenshots of the dialog (PIN typed, masked) and of the
 * result page, and of the options page with the site added, go to test-output/firefox/, the signing
 * and portal ones also to docs/screenshots/. The token, the signatures and the portal answer are
 * verified here.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/verifier/index.ts';
import { extensionWindowTitle, type FirefoxSession, launchFirefox } from '../../tools/dev/firefox.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { findWindow, pressKeys, screenshotDisplay, typeInto, waitForWindow, windowExists } from '../../tools/dev/x-input.ts';
import { type VirtualDisplay, startXvfb } from '../../tools/dev/xvfb.ts';
import { combinationCode, FIXTURES, newNonce, verifyToken } from './extension-setup.ts';

const OUT = fileURLToPath(new URL('../../test-output/firefox/', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const DIALOG_TITLE = extensionWindowTitle('dialogTitle');

let display: VirtualDisplay;
let card: ServedCard;
let server: StaticServer;
let firefox: FirefoxSession;
let page: Page;
/** The portal site's verifier (relying-party/src/verifier). */
let site: JpkiVerifier;
const cardState = async () => JSON.parse(await readFile(card.stateFile, 'utf8'));
beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  await mkdir(DOCS, { recursive: true });
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
 * docs/screenshots/firefox-<name>-….png when `docs`.
 */
async function throughTheDialog(button: string, request: unknown, pin: string, name: string, { docs = false } = {}): Promise<any> {
  await click(button, request);
  const dialog = await waitForWindow(display.display, DIALOG_TITLE);
  // The title is set before the first render; the field takes the focus when it renders.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await typeInto(display.display, dialog, pin);
  await screenshotDisplay(display.display, `${OUT}${name}-dialog.png`);
  await pressKeys(display.display, dialog, 'Return');
  await page.waitForFunction(() => (window as any).outcome !== null, { timeout: 30_000 });
  // The background closes the dialog when the operation ends.
  for (let i = 0; i < 50 && (await windowExists(display.display, dialog)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await windowExists(display.display, dialog)).toBe(false);
  await page.screenshot({ path: `${OUT}${name}-result.png` });
  if (docs) for (const shot of ['dialog', 'result']) await copyFile(`${OUT}${name}-${shot}.png`, `${DOCS}firefox-${name}-${shot}.png`);
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
    await click('portal', { mode: '01', service_id: '01', digest: (await site.issuePortalChallenge()).digestInfo });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await page.evaluate(() => (window as any).outcome)).toBeNull();
    expect(await findWindow(display.display, DIALOG_TITLE)).toBeNull();
  });

  it('the origin typed into the options page turns the portal surface on: the hidden inputs at levels 24 and 29', async () => {
    await firefox.allowPortalOrigin(server.url, { screenshot: `${OUT}portal-options.png` });
    await copyFile(`${OUT}portal-options.png`, `${DOCS}firefox-portal-options.png`);
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('app-is-installed') !== null, { timeout: 10_000 });
    expect(await hiddenInputs()).toEqual({ extension: '24', app: '29' });
  });

  it('mode 01 from a click, the auth PIN typed into the dialog: result "0", the auth certificate, a signature the relying party accepts, this installation’s uuid and combination code', async () => {
    const challenge = await site.issuePortalChallenge();
    const answer = await throughTheDialog('portal', { mode: '01', service_id: '01', digest: challenge.digestInfo }, VIRTUAL_PINS.auth, 'portal', { docs: true });
    expect(Object.keys(answer)).toEqual(['mode', 'result', 'uuid', 'signature', 'certificate', 'combination_code']);
    expect(answer).toMatchObject({ mode: '01', result: '0' });
    expect(answer.certificate).not.toContain('='); // base64 without padding, as the portal gets it
    const state = await cardState();
    expect(new X509Certificate(Buffer.from(answer.certificate, 'base64')).raw.toString('base64')).toBe(state.auth.certificate);
    expect(await site.verifyPortalLogin({ nonce: challenge.nonce, signature: answer.signature, certificate: answer.certificate })).toMatchObject({
      ok: true,
      certificateInfo: { kind: 'auth' },
    });
    const uuid = (await readFile(`${firefox.configHome}/jpki-bridge/installation-uuid`, 'utf8')).trim();
    expect(answer.uuid).toBe(uuid);
    expect(answer.combination_code).toBe(combinationCode(state.cardId.manufactureNumber, uuid));
    expect(JSON.stringify(answer)).not.toContain(state.cardId.manufactureNumber);
  });
});
