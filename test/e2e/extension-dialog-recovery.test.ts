/**
 * The PIN dialog's ways out of a dead end, in real Chromium with the real host and the virtual
 * card behind pcscd: the card put on the reader after "no card" and 再試行 pressed in the same
 * window; an expired certificate said before any PIN; the deadline warning and 延長 (the page asks
 * for a 32 s timeout, so the warning is up at once); blocking a site asks first, and a preset
 * portal's question says what blocking it costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { DEADLINE_EXTENSION_MS, MAX_DEADLINE_EXTENSIONS } from '@jpki-bridge/shared/constants';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { cancel, clickClosing, enterPin } from '../../tools/dev/pin-dialog.ts';
import { selfSignedCertificate } from '../../tools/dev/tls-certificate.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { type E2E, FIXTURES, dialogText, newNonce, run, screenshot, verifyCommands } from './extension-setup.ts';
import { startE2E } from './extension-setup.ts';

let e2e: E2E;
let portal: StaticServer;
beforeAll(async () => {
  // https://myna.go.jp, a preset portal, served here from the fixtures (the browser trusts only this key for it).
  const tls = selfSignedCertificate(['myna.go.jp']);
  portal = await serveStatic({ root: FIXTURES, tls });
  e2e = await startE2E({ lang: 'ja', aliases: { hostnames: ['myna.go.jp'], target: `127.0.0.1:${portal.port}`, spki: tls.spki } });
});
afterAll(async () => {
  await e2e?.close();
  await portal?.close();
});

const phase = (dialog: Page) => dialog.$eval('main', (main) => main.getAttribute('data-phase'));

describe('the dialog recovers', () => {
  it('no card: the dialog says what to do; the card put on the reader and 再試行 pressed, the same window asks for the PIN', async () => {
    await e2e.card.pull();
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await phase(dialog)).toBe('failed');
    expect(await dialogText(dialog, '[data-testid=error]')).toContain('マイナンバーカードがリーダーにありません');
    expect(await dialogText(dialog, '[data-testid=next-step]')).toContain('「再試行」');
    expect(await dialog.evaluate(() => document.activeElement?.id)).toBe('retry');
    await screenshot(dialog, 'dialog-no-card-ja');
    await e2e.card.insert();
    await dialog.click('#retry');
    await dialog.waitForSelector('main[data-phase=enter]', { timeout: 15_000 });
    expect(await dialogText(dialog, '[data-testid=tries]')).toContain('残り 3 回');
    await enterPin(dialog, VIRTUAL_PINS.auth);
    expect(await pending).toMatchObject({ ok: true });
    await page.close();
  });

  it('an expired certificate is said before any PIN is asked, with where to renew; the card sees no VERIFY', async () => {
    await e2e.freshCard('expired');
    try {
      const page = await e2e.open('authenticate.html');
      const pending = run(page, 'run', newNonce());
      const dialog = await e2e.session.waitForDialog(undefined, pending);
      expect(await phase(dialog)).toBe('failed');
      expect(await dialog.$('#pin')).toBeNull();
      expect(await dialog.$('#retry')).toBeNull();
      expect(await dialogText(dialog, '[data-testid=error]')).toContain('有効期限が切れています');
      expect(await dialogText(dialog, '[data-testid=next-step]')).toContain('3か月前');
      await screenshot(dialog, 'dialog-expired-ja');
      await clickClosing(dialog, '#close');
      expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_CERTIFICATE_EXPIRED' });
      expect(await verifyCommands(e2e.card)).toEqual([]);
      await page.close();
    } finally {
      await e2e.freshCard('adult');
    }
  });

  it('30 s before the deadline a warning offers 延長; it moves the deadline and says how many remain', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce(), 32_000);
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await dialog.type('#pin', '12');
    await dialog.waitForSelector('[data-testid=deadline-warning]', { timeout: 10_000 });
    expect(await dialogText(dialog, '[data-testid=extend]')).toContain(`あと ${MAX_DEADLINE_EXTENSIONS} 回`);
    await screenshot(dialog, 'dialog-deadline-warning-ja');
    await dialog.click('#extend');
    await dialog.waitForFunction(() => !document.querySelector('[data-testid=deadline-warning]'), { timeout: 5_000 });
    // about 30 s + 60 s left now
    const left = await dialogText(dialog, '[data-testid=countdown]');
    const [, minutes, seconds] = /(\d+):(\d\d)/.exec(left)!;
    expect(Number(minutes) * 60 + Number(seconds)).toBeGreaterThan(DEADLINE_EXTENSION_MS / 1000);
    // what was typed stayed; the PIN completes and logs in
    expect(await dialog.$eval('#pin', (i) => (i as HTMLInputElement).value)).toBe('12');
    await dialog.type('#pin', VIRTUAL_PINS.auth.slice(2));
    await clickClosing(dialog, '#submit');
    expect(await pending).toMatchObject({ ok: true });
    await page.close();
  });

  it('blocking asks first: やめる (or Escape) keeps the dialog; ブロックする refuses the site from then on', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await dialog.click('#block-site');
    await dialog.waitForSelector('[data-testid=block-confirm]');
    expect(await dialog.evaluate(() => document.activeElement?.id)).toBe('block-keep');
    expect(await dialog.$('[data-testid=block-preset-warning]')).toBeNull(); // localhost is no preset portal
    await screenshot(dialog, 'dialog-block-confirm-ja');
    await dialog.keyboard.press('Escape');
    await dialog.waitForFunction(() => !document.querySelector('[data-testid=block-confirm]'));
    expect(await dialog.$('#pin')).not.toBeNull(); // still open
    await dialog.click('#block-site');
    await dialog.waitForSelector('#block-confirm');
    await clickClosing(dialog, '#block-confirm');
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    expect(await run(page, 'run', newNonce())).toMatchObject({ ok: false, code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' });
    // unblocked again as a user does, on the options page
    const options = await e2e.session.openPage(e2e.session.extensionUrl('options.html'));
    await options.waitForSelector('#blocked li button');
    await options.click('#blocked li button');
    await options.waitForFunction(() => !document.querySelector('#blocked li button'));
    await options.close();
    await page.close();
  });

  it('a preset portal is named as one, and its block question says what blocking it costs', async () => {
    const page = await e2e.session.openPage('https://myna.go.jp/authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialog.$eval('[data-testid=site-badge]', (e) => e.getAttribute('data-site'))).toBe('preset');
    expect(await dialogText(dialog, '[data-testid=site-badge]')).toContain('プリセットの公的サービス');
    await dialog.click('#block-site');
    await dialog.waitForSelector('[data-testid=block-preset-warning]');
    await screenshot(dialog, 'dialog-block-preset-ja');
    await dialog.click('#block-keep');
    await cancel(dialog);
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    await page.close();
  });

  it('the badge of a development origin says so, never "public service"', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialog.$eval('[data-testid=site-badge]', (e) => e.getAttribute('data-site'))).toBe('development');
    expect(await dialogText(dialog, '[data-testid=site-badge]')).toContain('開発用');
    await cancel(dialog);
    await pending;
    await page.close();
  });
});
