/**
 * What a resident sees on a 1366×768 laptop screen: Chromium with real windows on a 1366×768 X
 * display (Xvfb, no window manager, so no title bars), the real host and the virtual card. Every
 * PIN-dialog state and the popup for an adult (also with the signing certificate's holder after its
 * PIN), a minor, an expired card and a locked PIN are
 * photographed as the whole screen (ImageMagick `import`) into test-output/screenshots/screen/,
 * and copied to docs/screenshots/ only with JPKI_BRIDGE_DOCS_SCREENSHOTS=1 (toDocs). In each
 * dialog state the test asserts that the window lies on the screen and its buttons inside it.
 * Then the stores' 1280×800 screenshots, and the first-run page with and without a host.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../relying-party/src/verifier/certificate.ts';
import { readHolder } from '../../relying-party/src/verifier/holder.ts';
import { launchChromium } from '../../tools/dev/chromium.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { cancel, clickClosing, enterPin } from '../../tools/dev/pin-dialog.ts';
import { screenshotDisplay } from '../../tools/dev/x-input.ts';
import { type VirtualDisplay, startXvfb } from '../../tools/dev/xvfb.ts';
import { type E2E, dialogText, newNonce, run, startE2E, toDocs } from './extension-setup.ts';

const OUT = fileURLToPath(new URL('../../test-output/screenshots/screen/', import.meta.url));
const STORE = fileURLToPath(new URL('../../test-output/screenshots/store/', import.meta.url));
const SCREEN = { width: 1366, height: 768 };

let display: VirtualDisplay;
let e2e: E2E;
const previousDisplay = process.env.DISPLAY;
beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  await mkdir(STORE, { recursive: true });
  display = await startXvfb(`${SCREEN.width}x${SCREEN.height}x24`);
  process.env.DISPLAY = display.display; // the browser's windows go to this screen
  e2e = await startE2E({ lang: 'ja', headless: false, viewport: null, automationBar: false });
});
afterAll(async () => {
  await e2e?.close();
  await display?.stop();
  if (previousDisplay === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = previousDisplay;
});

/** The whole 1366×768 screen, into test-output (and docs/screenshots/screen-<name>.png when asked). */
async function photograph(name: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300)); // the last frame painted
  const file = `${OUT}${name}.png`;
  await screenshotDisplay(display.display, file);
  await toDocs(file, `screen-${name}.png`);
}

/** The dialog window lies on the screen, and every footer button inside the window. */
async function assertFits(dialog: Page): Promise<void> {
  const m = await dialog.evaluate(() => ({
    buttonsBottom: Math.max(...[...document.querySelectorAll('.dialog-footer button')].map((b) => b.getBoundingClientRect().bottom)),
    innerHeight,
    windowBottom: screenY + outerHeight,
    screenHeight: screen.height,
  }));
  expect(m.buttonsBottom).toBeLessThanOrEqual(m.innerHeight);
  expect(m.windowBottom).toBeLessThanOrEqual(m.screenHeight);
  expect(m.screenHeight).toBe(SCREEN.height);
}

async function openDialog(fixture: string, ...args: unknown[]) {
  const page = await e2e.open(fixture);
  const pending = run(page, 'run', ...args);
  const dialog = await e2e.session.waitForDialog(undefined, pending);
  await assertFits(dialog);
  return { page, pending, dialog };
}

const HASH = Buffer.alloc(32, 7).toString('base64');

// Slow steps (a fresh card, a real window each time) on a machine shared with other test runs.
describe('every dialog state on a 1366×768 screen', { timeout: 300_000 }, () => {
  it('login: the PIN being typed', async () => {
    const { page, pending, dialog } = await openDialog('authenticate.html', newNonce());
    await dialog.type('#pin', '12');
    await photograph('dialog-login');
    await cancel(dialog);
    await pending;
    await page.close();
  });

  it('signing, with the PIN shown by the show-PIN toggle (upper-cased as typed)', async () => {
    const { page, pending, dialog } = await openDialog('sign.html', [HASH, HASH], 'SHA-256');
    await dialog.type('#pin', 'abc123');
    await dialog.click('#show-pin');
    expect(await dialog.$eval('#pin', (i) => [(i as HTMLInputElement).type, (i as HTMLInputElement).value])).toEqual(['text', 'ABC123']);
    await photograph('dialog-sign-pin-shown');
    await dialog.click('#show-pin');
    expect(await dialog.$eval('#pin', (i) => (i as HTMLInputElement).type)).toBe('password');
    await cancel(dialog);
    await pending;
    await page.close();
  });

  it('a wrong PIN, the last try and the lock', async () => {
    await e2e.freshCard();
    const { page, pending, dialog } = await openDialog('authenticate.html', newNonce());
    await enterPin(dialog, '9999');
    await dialog.waitForFunction(() => document.querySelector('[data-testid=tries]')?.textContent?.includes('残り 2 回'), { timeout: 15_000 });
    await photograph('dialog-wrong-pin');
    await enterPin(dialog, '9998');
    await dialog.waitForSelector('#confirm-last-try', { timeout: 15_000 });
    await assertFits(dialog);
    await photograph('dialog-last-try');
    await enterPin(dialog, '9997', { confirmLastTry: true });
    await dialog.waitForSelector('[data-testid=locked]', { timeout: 15_000 });
    await assertFits(dialog);
    await photograph('dialog-locked');
    await clickClosing(dialog, '#close');
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_PIN_LOCKED' });
    await page.close();
    await e2e.freshCard();
  });

  it('no card, then 再試行', async () => {
    await e2e.card.pull();
    const { page, pending, dialog } = await openDialog('authenticate.html', newNonce());
    await photograph('dialog-no-card');
    await e2e.card.insert();
    await dialog.click('#retry');
    await dialog.waitForSelector('main[data-phase=enter]', { timeout: 15_000 });
    await enterPin(dialog, VIRTUAL_PINS.auth);
    expect(await pending).toMatchObject({ ok: true });
    await page.close();
  });

  it('an expired certificate', async () => {
    await e2e.freshCard('expired');
    const { page, pending, dialog } = await openDialog('authenticate.html', newNonce());
    expect(await dialogText(dialog, '[data-testid=error]')).toContain('有効期限');
    await photograph('dialog-expired');
    await clickClosing(dialog, '#close');
    await pending;
    await page.close();
    await e2e.freshCard();
  });

  it('the deadline warning with 延長, and the block question', async () => {
    const { page, pending, dialog } = await openDialog('authenticate.html', newNonce(), 31_000);
    await dialog.waitForSelector('[data-testid=deadline-warning]', { timeout: 10_000 });
    await assertFits(dialog);
    await photograph('dialog-deadline-warning');
    await dialog.click('#extend');
    await dialog.click('#block-site');
    await dialog.waitForSelector('[data-testid=block-confirm]');
    await assertFits(dialog);
    await photograph('dialog-block-confirm');
    await dialog.click('#block-keep');
    await cancel(dialog);
    await pending;
    await page.close();
  });
});

describe('the popup for an adult, a minor, an expired card and a locked PIN', { timeout: 300_000 }, () => {
  async function popup(name: string): Promise<Page> {
    const page = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
    await page.waitForSelector('[data-testid=card]', { timeout: 15_000 });
    await photograph(`popup-${name}`);
    return page;
  }

  it('an adult: both certificates, three PINs with full tries, the certificate viewer', async () => {
    await e2e.freshCard('adult');
    const page = await popup('adult');
    expect(await page.$eval('[data-testid=signing-certificate]', (e) => e.getAttribute('data-present'))).toBe('true');
    expect(await page.$eval('[data-testid=tries-sign]', (e) => e.textContent)).toContain('5/5');
    expect(await page.$eval('[data-testid=renewal]', (e) => e.getAttribute('data-renewal'))).toBe('not-yet');
    await page.click('[data-testid=auth-certificate-viewer] summary');
    await page.waitForFunction(() => /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(document.querySelector('[data-testid=cert-fingerprint]')?.textContent ?? ''));
    expect(await page.$eval('[data-testid=cert-issuer]', (e) => e.textContent)).toMatch(/O=/);
    await photograph('popup-adult-certificate');
    await page.close();
  });

  it("an adult's signing certificate after its PIN: rule checked as typed, a wrong PIN counted, then validity and holder — kept nowhere", async () => {
    await e2e.freshCard('adult');
    const state = JSON.parse(await readFile(e2e.card.stateFile, 'utf8'));
    const expected = readHolder(parseCertificate(Buffer.from(state.sign.certificate, 'base64')));
    const page = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
    await page.waitForSelector('[data-testid=card]', { timeout: 15_000 });
    await page.click('[data-testid=signing-certificate-reader] summary');
    // A PIN that breaks the rule cannot be sent (the card's count stays 5).
    await page.type('#sign-certificate-pin', 'abcdef');
    expect(await page.$eval('#sign-certificate-submit', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await dialogText(page, '[data-testid=signing-certificate-reader] .problem')).toContain('数字');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Backspace');
    // A wrong one reaches the card: one try spent, said, and the PIN states read again.
    await page.type('#sign-certificate-pin', 'wrong9');
    await page.click('#sign-certificate-submit');
    await page.waitForFunction(() => document.querySelector('[data-testid=signing-certificate-message]')?.textContent?.includes('残り 4 回'), {
      timeout: 15_000,
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=tries-sign]')?.textContent?.includes('4/5'), { timeout: 15_000 });
    expect(await page.$eval('#sign-certificate-pin', (i) => (i as HTMLInputElement).value)).toBe('');
    await page.type('#sign-certificate-pin', VIRTUAL_PINS.sign.toLowerCase());
    await page.click('#sign-certificate-submit');
    await page.waitForSelector('[data-testid=signing-certificate-shown]', { timeout: 15_000 });
    expect(await dialogText(page, '[data-testid=holder-name]')).toBe(expected.name);
    expect(await dialogText(page, '[data-testid=holder-address]')).toBe(expected.address);
    const [year, month, day] = (expected.dateOfBirth ?? '').split('-').map(Number);
    expect(await dialogText(page, '[data-testid=holder-birth]')).toBe(`${year}年${month}月${day}日`);
    expect(expected.sex).toBe('male'); // the adult persona's `1`
    expect(await dialogText(page, '[data-testid=holder-sex]')).toBe('男');
    expect(await dialogText(page, '[data-testid=sign-valid-until]')).toMatch(/有効期限: 20\d\d\/\d{1,2}\/\d{1,2}/);
    await page.waitForFunction(() => document.querySelector('[data-testid=tries-sign]')?.textContent?.includes('5/5'), { timeout: 15_000 });
    await page.$eval('[data-testid=signing-certificate]', (e) => e.previousElementSibling?.scrollIntoView({ block: 'start' }));
    await photograph('popup-adult-signing-certificate');
    // Shown, not kept: nothing of it in the extension's storage, and a new popup shows none of it.
    const stored = await page.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<object> }> } }).chrome.storage;
      return JSON.stringify([await api.local.get(null), await api.session.get(null)]);
    });
    for (const datum of [expected.name, expected.address, state.sign.certificate.slice(0, 40)]) expect(stored).not.toContain(datum);
    await page.close();
    const again = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
    await again.waitForSelector('[data-testid=signing-certificate-reader]', { timeout: 15_000 });
    expect(await again.$('[data-testid=signing-certificate-shown]')).toBeNull();
    expect(await dialogText(again, 'main')).not.toContain(expected.name!);
    await again.close();
  });

  it('the signing certificate on the last try needs the confirmation; a locked signing PIN offers no form', async () => {
    const setSignTries = async (left: number) => {
      await e2e.freshCard('adult');
      await e2e.card.pull();
      const state = JSON.parse(await readFile(e2e.card.stateFile, 'utf8'));
      state.pins.sign.retriesLeft = left;
      await writeFile(e2e.card.stateFile, JSON.stringify(state));
      await e2e.card.insert();
    };
    await setSignTries(1);
    const page = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
    await page.waitForSelector('[data-testid=card]', { timeout: 15_000 });
    await page.click('[data-testid=signing-certificate-reader] summary');
    await page.type('#sign-certificate-pin', VIRTUAL_PINS.sign);
    expect(await page.$eval('#sign-certificate-submit', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await dialogText(page, '[data-testid=signing-certificate-reader] .danger')).toContain('残り1回');
    await page.click('#sign-certificate-confirm');
    await page.click('#sign-certificate-submit');
    await page.waitForSelector('[data-testid=signing-certificate-shown]', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=tries-sign]')?.textContent?.includes('5/5'), { timeout: 15_000 });
    await page.close();
    await setSignTries(0);
    const locked = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
    await locked.waitForSelector('[data-testid=tries-sign][data-state=locked]', { timeout: 15_000 });
    expect(await locked.$('[data-testid=signing-certificate-reader]')).toBeNull();
    await locked.close();
    await e2e.freshCard('adult');
  });

  it('a minor: no signing certificate, said with why — never "0/5"', async () => {
    await e2e.freshCard('minor');
    const page = await popup('minor');
    expect(await page.$eval('[data-testid=signing-certificate]', (e) => e.getAttribute('data-present'))).toBe('false');
    expect(await page.$eval('[data-testid=signing-certificate]', (e) => e.textContent)).toContain('15歳未満');
    const sign = await page.$eval('[data-testid=tries-sign]', (e) => [e.getAttribute('data-state'), e.textContent ?? '']);
    expect(sign[0]).toBe('unused');
    expect(sign[1]).not.toMatch(/0\/5|ロック中/);
    await page.close();
  });

  it('an expired card: expired, both certificates unusable, where to go', async () => {
    await e2e.freshCard('expired');
    const page = await popup('expired');
    expect(await page.$eval('[data-testid=renewal]', (e) => e.getAttribute('data-renewal'))).toBe('expired');
    expect(await page.$eval('[data-testid=renewal]', (e) => e.textContent)).toContain('市区町村の窓口');
    await page.close();
  });

  it('a locked PIN: locked, and where it is reset', async () => {
    await e2e.freshCard('adult');
    await e2e.card.pull();
    const state = JSON.parse(await readFile(e2e.card.stateFile, 'utf8'));
    state.pins.auth.retriesLeft = 0;
    await writeFile(e2e.card.stateFile, JSON.stringify(state));
    await e2e.card.insert();
    const page = await popup('locked-pin');
    expect(await page.$eval('[data-testid=tries-auth]', (e) => e.getAttribute('data-state'))).toBe('locked');
    const next = await page.$eval('[data-testid=next-auth]', (e) => e.textContent ?? '');
    expect(next).toContain('市区町村の窓口');
    expect(next).toContain('JPKI暗証番号リセット');
    await page.close();
    await e2e.freshCard('adult');
  });
});

describe('store screenshots (1280×800) and the first-run page', { timeout: 300_000 }, () => {
  it('the first-run page opened by itself on install, and finds the host', async () => {
    const target = await e2e.session.browser.waitForTarget((t) => t.url() === e2e.session.extensionUrl('welcome.html'), { timeout: 10_000 });
    const welcome = (await target.page())!;
    await welcome.setViewport({ width: 1280, height: 800 });
    await welcome.waitForSelector('[data-testid=host-check][data-state=ok]', { timeout: 15_000 });
    expect(await dialogText(welcome, '[data-testid=unofficial]')).toContain('非公式 — J-LIS・デジタル庁とは関係ありません');
    await welcome.screenshot({ path: `${STORE}store-welcome.png` });
    await welcome.close();
  });

  it('the options page and the popup at 1280×800, and the dialog over the page that asked', async () => {
    const options = await e2e.session.openPage(e2e.session.extensionUrl('options.html'));
    await options.setViewport({ width: 1280, height: 800 });
    await options.waitForSelector('#allow-list li');
    expect(await dialogText(options, '[data-testid=unofficial]')).toContain('非公式');
    await options.screenshot({ path: `${STORE}store-options.png` });
    await options.close();

    const popup = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
    await popup.setViewport({ width: 1280, height: 800 });
    await popup.waitForSelector('[data-testid=card]', { timeout: 15_000 });
    await popup.screenshot({ path: `${STORE}store-popup.png` });
    await popup.close();

    // The asking page and its dialog, two real screenshots composed as the screen shows them.
    const { page, pending, dialog } = await openDialog('sign.html', [HASH], 'SHA-256');
    await page.setViewport({ width: 1280, height: 800 });
    await page.screenshot({ path: `${STORE}page.png` });
    await dialog.type('#pin', 'abc123');
    await dialog.screenshot({ path: `${STORE}dialog.png` });
    execFileSync('convert', [
      `${STORE}page.png`,
      '(',
      `${STORE}dialog.png`,
      '-bordercolor',
      '#6b6b6b',
      '-border',
      '1',
      ')',
      '-gravity',
      'center',
      '-composite',
      `${STORE}store-dialog.png`,
    ]);
    await cancel(dialog);
    await pending;
    await page.close();
    for (const name of ['store-welcome', 'store-options', 'store-popup', 'store-dialog']) {
      const size = execFileSync('identify', ['-format', '%wx%h', `${STORE}${name}.png`], { encoding: 'utf8' });
      expect(size, name).toBe('1280x800');
    }
  });

  it('without a host, the first-run page says how to install it for this system and browser', async () => {
    const session = await launchChromium({ lang: 'ja', host: false });
    try {
      const page = await session.openPage(session.extensionUrl('welcome.html'));
      await page.waitForSelector('[data-testid=host-missing]', { timeout: 15_000 });
      expect(await page.$eval('[data-testid=host-missing]', (e) => e.getAttribute('data-code'))).toBe('ERR_JPKI_NATIVE_UNAVAILABLE');
      await page.waitForSelector('[data-testid=install-steps][data-os=linux]');
      expect(await page.$eval('[data-testid=install-steps]', (e) => e.getAttribute('data-browser'))).toBe('chromium');
      expect(await dialogText(page, '[data-testid=install-steps]')).toContain('jpki-bridge install --browser chromium');
      await page.setViewport({ width: 1280, height: 800 });
      await page.screenshot({ path: `${STORE}welcome-no-host.png` });
    } finally {
      await session.close();
    }
  });
});
