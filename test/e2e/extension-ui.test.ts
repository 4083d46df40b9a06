/**
 * The extension's own pages in a real browser: the popup's status and PIN change, the options
 * page's allow-list, and screenshots (dialog ja/en, popup, options) in test-output/screenshots/.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { cancel, enterPin } from '../../tools/dev/pin-dialog.ts';
import { type E2E, newNonce, run, screenshot, startE2E } from './extension-setup.ts';

/** The dialog window is 480×640 in the browser (about 600 px of page under its title bar); screenshot its page at that size. */
async function dialogShot(e2e: E2E, fixture: string, name: string, args: unknown[], prepare?: (dialog: Page) => Promise<void>): Promise<void> {
  const page = await e2e.open(fixture);
  const pending = run(page, 'run', ...args);
  const dialog = await e2e.session.waitForDialog(undefined, pending);
  await dialog.setViewport({ width: 480, height: 600 });
  await prepare?.(dialog);
  await screenshot(dialog, name);
  await cancel(dialog);
  await pending;
  await page.close();
}

/** Unfold the popup's PIN-change section (the popup has other folded sections, e.g. the certificate viewer, before it). */
async function openChangePin(page: Page): Promise<void> {
  await page.click('[data-testid=change-pin] > summary');
  await page.waitForFunction(() => (document.querySelector('[data-testid=change-pin]') as HTMLDetailsElement | null)?.open === true);
}

for (const lang of ['ja', 'en'] as const) {
  describe(`extension pages (${lang})`, () => {
    let e2e: E2E;
    beforeAll(async () => {
      e2e = await startE2E({ lang });
    });
    afterAll(async () => {
      await e2e?.close();
    });

    it('screenshots the login and signing dialogs', async () => {
      await dialogShot(e2e, 'authenticate.html', `dialog-login-${lang}`, [newNonce()], async (dialog) => {
        await dialog.type('#pin', '12');
      });
      const hash = Buffer.alloc(32, 1).toString('base64');
      await dialogShot(e2e, 'sign.html', `dialog-sign-${lang}`, [[hash, hash], 'SHA-256'], async (dialog) => {
        await dialog.type('#pin', 'abc123');
      });
    });

    it('the dialog shows the primary language first', async () => {
      const page = await e2e.open('authenticate.html');
      const pending = run(page, 'run', newNonce());
      const dialog = await e2e.session.waitForDialog(undefined, pending);
      expect(await dialog.evaluate(() => document.documentElement.lang)).toBe(lang);
      const title = await dialog.$eval('#title span', (e) => e.textContent);
      expect(title).toBe(lang === 'ja' ? 'マイナンバーカードの暗証番号' : 'My Number card PIN');
      await cancel(dialog);
      await pending;
      await page.close();
    });

    it('the popup shows readers, the card, certificate validity and tries left', async () => {
      const page = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
      await page.setViewport({ width: 420, height: 600 });
      await page.waitForSelector('[data-testid=card]', { timeout: 15_000 });
      const text = await page.$eval('[data-testid=status]', (e) => e.textContent ?? '');
      expect(text).toContain('Virtual PCD 00 00');
      // Which reader holds the JPKI card: 00 00 (the virtual card), and only that one.
      const jpki = await page.$$eval('[data-testid=readers] li[data-jpki=true]', (items) => items.map((e) => e.textContent ?? ''));
      expect(jpki).toEqual([expect.stringContaining('Virtual PCD 00 00')]);
      expect(jpki[0]).toContain(lang === 'ja' ? 'マイナンバーカード' : 'My Number card');
      expect(await page.$eval('[data-testid=tries-auth]', (e) => e.textContent)).toContain('3/3');
      expect(await page.$eval('[data-testid=tries-sign]', (e) => e.textContent)).toContain('5/5');
      expect(await page.$eval('[data-testid=auth-valid-until]', (e) => e.textContent)).toMatch(/20\d\d/);
      expect(await page.$('[data-testid=renewal]')).not.toBeNull();
      await screenshot(page, `popup-${lang}`);
      await page.close();
    });

    if (lang === 'ja') {
      it('changes the authentication PIN from the popup, then back', async () => {
        const page = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
        await page.waitForSelector('[data-testid=card]', { timeout: 15_000 });
        await openChangePin(page);
        const change = async (from: string, to: string) => {
          await page.type('#auth-current', from);
          await page.type('#auth-new', to);
          await page.type('#auth-again', to);
          await page.waitForSelector('#auth-submit:not([disabled])');
          await page.click('#auth-submit');
          await page.waitForFunction(() => document.querySelector('[data-testid=change-auth] [role=status]')?.textContent?.includes('変更しました'), {
            timeout: 15_000,
          });
        };
        await change(VIRTUAL_PINS.auth, '5678');
        // the new PIN logs in
        const login = await e2e.open('authenticate.html');
        const pending = run(login, 'run', newNonce());
        await enterPin(await e2e.session.waitForDialog(undefined, pending), '5678');
        expect(await pending).toMatchObject({ ok: true });
        await login.close();
        await page.reload();
        await page.waitForSelector('[data-testid=card]', { timeout: 15_000 });
        await openChangePin(page);
        await change('5678', VIRTUAL_PINS.auth);
        await page.close();
      });

      it('a malformed new PIN cannot be submitted in the popup', async () => {
        const page = await e2e.session.openPage(e2e.session.extensionUrl('popup.html'));
        await page.waitForSelector('[data-testid=card]', { timeout: 15_000 });
        await openChangePin(page);
        await page.setViewport({ width: 420, height: 600 });
        await page.type('#sign-current', VIRTUAL_PINS.sign);
        await page.type('#sign-new', 'abcdef');
        await page.type('#sign-again', 'abcdef');
        expect(await page.$eval('#sign-submit', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
        expect(await page.$eval('[data-testid=change-sign] .problem', (e) => e.textContent)).toContain('数字');
        await screenshot(page, 'popup-change-pin-ja');
        await page.close();
      });
    }

    it('the options page adds (validated), removes and resets allow-list entries', async () => {
      const page = await e2e.session.openPage(e2e.session.extensionUrl('options.html'));
      await page.waitForSelector('#allow-list li');
      const patterns = () => page.$$eval('#allow-list li', (items) => items.map((li) => li.getAttribute('data-pattern')));
      expect(await patterns()).toEqual(['https://myna.go.jp', 'https://clientweb.e-tax.nta.go.jp', 'https://www.keisan.nta.go.jp']);
      await page.type('#pattern', 'http://evil.example');
      await page.click('#add');
      await page.waitForFunction(() => (document.querySelector('#pattern-problem')?.textContent ?? '').length > 0);
      await page.$eval('#pattern', (i) => ((i as HTMLInputElement).value = ''));
      await page.click('#pattern', { count: 3 });
      await page.keyboard.press('Backspace');
      await page.type('#pattern', 'https://demo.example.jp');
      await page.click('#add');
      await page.waitForSelector('li[data-pattern="https://demo.example.jp"]');
      await screenshot(page, `options-${lang}`);
      await page.click('li[data-pattern="https://www.keisan.nta.go.jp"] button');
      await page.waitForFunction(() => !document.querySelector('li[data-pattern="https://www.keisan.nta.go.jp"]'));
      await page.click('#reset');
      await page.waitForFunction(
        () => document.querySelectorAll('#allow-list li').length === 3 && !!document.querySelector('li[data-pattern="https://www.keisan.nta.go.jp"]'),
      );
      await page.close();
    });
  });
}
