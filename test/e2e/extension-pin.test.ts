/**
 * The PIN dialog against the real card's counters: signing with one PIN entry, a malformed PIN
 * that cannot be sent, wrong-then-right, the last-try confirmation, a lock.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { cancel, clickClosing, enterPin } from '../../tools/dev/pin-dialog.ts';
import { type E2E, dialogText, newNonce, run, screenshot, startE2E, verifyCommands } from './extension-setup.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ lang: 'ja' });
});
afterAll(async () => {
  await e2e?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');

describe('signing and the PIN dialog', () => {
  it('signs three hashes with one PIN entry; the certificate carries the persona name', async () => {
    const page = await e2e.open('sign.html');
    const hashes = ['一', '二', '三'].map(sha256);
    const pending = run(page, 'run', hashes, 'SHA-256');
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    const what = await dialogText(dialog, '[data-testid=what]');
    expect(what).toContain('電子署名');
    expect(what).toContain('3 件');
    expect(await dialogText(dialog, '[data-testid=personal-data]')).toMatch(/氏名・住所・生年月日・性別/);
    expect(await dialogText(dialog, 'label[for=pin]')).toContain('署名用電子証明書の暗証番号');
    // typed in lowercase: the dialog upper-cases it
    await enterPin(dialog, VIRTUAL_PINS.sign.toLowerCase());
    const out = await pending;
    expect(out).toMatchObject({ ok: true, result: { signatureAlgorithm: { cryptoAlgorithm: 'RSA', hashFunction: 'SHA-256', paddingScheme: 'PKCS1.5' } } });
    if (!out.ok) return;
    expect(out.result.signatures).toHaveLength(3);
    const der = Buffer.from(out.result.certificate, 'base64');
    expect(der.includes(Buffer.from('デジタル 太郎', 'utf8'))).toBe(true);
    expect((await verifyCommands(e2e.card)).length).toBe(1); // one VERIFY for the three signatures
    await page.close();
  });

  it('getSigningCertificate asks the signing PIN and returns the persona certificate', async () => {
    const page = await e2e.open('sign.html');
    const pending = run(page, 'runCertificate');
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, '[data-testid=personal-data]')).toContain('氏名');
    await enterPin(dialog, VIRTUAL_PINS.sign);
    const out = await pending;
    expect(out.ok).toBe(true);
    if (out.ok) expect(Buffer.from(out.result.certificate, 'base64').includes(Buffer.from('デジタル 太郎', 'utf8'))).toBe(true);
    await page.close();
  });

  it('signing with a certificate that is not the card’s gets ERR_JPKI_CERTIFICATE_MISMATCH', async () => {
    const page = await e2e.open('sign.html');
    const login = await e2e.open('authenticate.html');
    // the authentication certificate is a real certificate, just not the signing one
    const token = run(login, 'run', newNonce());
    await enterPin(await e2e.session.waitForDialog(undefined, token), VIRTUAL_PINS.auth);
    const authCertificate = ((await token) as { ok: true; result: { unverifiedCertificate: string } }).result.unverifiedCertificate;
    // The signing page was opened first, so it is a background tab now: the user shows it before
    // clicking in it (a background tab's request is refused, extension-front-tab.test.ts).
    await page.bringToFront();
    const pending = run(page, 'run', [sha256('x')], 'SHA-256', authCertificate);
    await enterPin(await e2e.session.waitForDialog(undefined, pending), VIRTUAL_PINS.sign);
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_CERTIFICATE_MISMATCH' });
    await page.close();
    await login.close();
  });

  it('a malformed PIN cannot be submitted, and the card sees no VERIFY', async () => {
    const before = (await verifyCommands(e2e.card)).length;
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await dialog.type('#pin', '12a');
    expect(await dialog.$eval('#submit', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(await dialogText(dialog, '[data-testid=pin-problem]')).toContain('数字4桁');
    await dialog.keyboard.press('Enter'); // Enter on an invalid PIN does nothing either
    expect(await dialog.$eval('#pin', (i) => (i as HTMLInputElement).getAttribute('aria-invalid'))).toBe('true');
    await cancel(dialog);
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    expect((await verifyCommands(e2e.card)).length).toBe(before);
    await page.close();
  });

  it('a wrong PIN shows the tries left in the same dialog; the right one then works', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await enterPin(dialog, '9999');
    await dialog.waitForFunction(() => document.querySelector('[data-testid=error]')?.textContent?.includes('残り 2 回'), { timeout: 15_000 });
    expect(await dialogText(dialog, '[data-testid=tries]')).toContain('残り 2 回');
    // focus is back in the PIN field for the next try
    expect(await dialog.evaluate(() => document.activeElement?.id)).toBe('pin');
    await enterPin(dialog, VIRTUAL_PINS.auth);
    expect(await pending).toMatchObject({ ok: true });
    await page.close();
  });

  /** A login on a fresh card whose dialog has taken two wrong PINs: it now asks to confirm the last try. */
  async function loginAtTheLastTry() {
    await e2e.freshCard();
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await enterPin(dialog, '9999');
    await dialog.waitForFunction(() => document.querySelector('[data-testid=error]')?.textContent?.includes('残り 2 回'));
    await enterPin(dialog, '9998');
    await dialog.waitForSelector('#confirm-last-try', { timeout: 15_000 });
    return { page, pending, dialog };
  }

  it('the last try needs an explicit confirmation', async () => {
    const { page, pending, dialog } = await loginAtTheLastTry();
    await dialog.type('#pin', VIRTUAL_PINS.auth);
    expect(await dialog.$eval('#submit', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await screenshot(dialog, 'dialog-last-try-ja', { width: 480, height: 600 });
    await dialog.click('#confirm-last-try');
    await dialog.waitForSelector('#submit:not([disabled])');
    await clickClosing(dialog, '#submit');
    expect(await pending).toMatchObject({ ok: true });
    await page.close();
  });

  it('a locked PIN is explained in the dialog and the page gets ERR_JPKI_PIN_LOCKED', async () => {
    const { page, pending, dialog } = await loginAtTheLastTry();
    await enterPin(dialog, '9997', { confirmLastTry: true });
    await dialog.waitForSelector('[data-testid=locked]', { timeout: 15_000 });
    expect(await dialogText(dialog, '[data-testid=locked]')).toContain('市区町村の窓口');
    expect(await dialog.evaluate(() => document.activeElement?.id)).toBe('close');
    await screenshot(dialog, 'dialog-locked-ja', { width: 480, height: 600 });
    await clickClosing(dialog, '#close');
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_PIN_LOCKED' });
    // asking again opens the explanation straight away, and the card is not touched
    const before = (await verifyCommands(e2e.card)).length;
    const again = run(page, 'run', newNonce());
    const second = await e2e.session.waitForDialog(undefined, again);
    await second.waitForSelector('[data-testid=locked]');
    await clickClosing(second, '#close');
    expect(await again).toMatchObject({ ok: false, code: 'ERR_JPKI_PIN_LOCKED' });
    expect((await verifyCommands(e2e.card)).length).toBe(before);
    await page.close();
  });
});
