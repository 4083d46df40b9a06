/**
 * Firefox for real: a login and a signature in firefox-esr with windows (under Xvfb), the host
 * installed by `jpki-bridge install --browser firefox --user` into the profile's HOME, the real
 * pcscd and the virtual card. Each flow starts from a click on the page (WebDriver BiDi); the PIN
 * is typed with xdotool into the extension's own dialog window, as a user's keyboard does, then
 * Enter. Screenshots of the dialog (PIN typed, masked) and of the result page go to
 * test-output/firefox/. The token and the signature are verified here.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { type FirefoxSession, launchFirefox } from '../../tools/dev/firefox.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { pressKeys, screenshotDisplay, typeInto, waitForWindow, windowExists } from '../../tools/dev/x-input.ts';
import { type VirtualDisplay, startXvfb } from '../../tools/dev/xvfb.ts';
import { FIXTURES, newNonce, verifyToken } from './extension-setup.ts';

const OUT = fileURLToPath(new URL('../../test-output/firefox/', import.meta.url));
/** The dialog window's title (dialogTitle in ja or en, whichever Firefox's languages pick). */
const DIALOG_TITLE = 'マイナンバーカードの暗証番号|My Number card PIN';

let display: VirtualDisplay;
let card: ServedCard;
let server: StaticServer;
let firefox: FirefoxSession;
let page: Page;
beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  await ensurePcscd();
  card = await serveCard({ stateFile: await createCardState({ persona: 'adult' }), port: 35963 });
  server = await serveStatic({ root: FIXTURES });
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

/**
 * Clicks `button` on the page with `request` set, types `pin` into the PIN dialog window and
 * presses Enter; screenshots `<name>-dialog.png` (PIN typed) and `<name>-result.png`.
 */
async function throughTheDialog(button: string, request: unknown, pin: string, name: string): Promise<any> {
  await page.evaluate((r) => {
    (window as any).request = r;
    (window as any).outcome = null;
  }, request);
  await page.click(`#${button}`);
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
  return page.evaluate(() => (window as any).outcome);
}

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
    const out = await throughTheDialog('sign', { hashes }, VIRTUAL_PINS.sign.toLowerCase(), 'sign');
    expect(out).toMatchObject({ ok: true, result: { signatureAlgorithm: { cryptoAlgorithm: 'RSA', hashFunction: 'SHA-256', paddingScheme: 'PKCS1.5' } } });
    const certificate = new X509Certificate(Buffer.from(out.result.certificate, 'base64'));
    expect(out.result.signatures).toHaveLength(2);
    texts.forEach((text, i) => {
      expect(verify('sha256', Buffer.from(text), certificate.publicKey, Buffer.from(out.result.signatures[i], 'base64'))).toBe(true);
    });
  });
});
