/** No native host installed: the page (and the PIN dialog, for a PIN verb) learns ERR_JPKI_NATIVE_UNAVAILABLE with the install/doctor advice. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickClosing } from '../../tools/dev/pin-dialog.ts';
import { serveStatic } from '../../tools/dev/static-server.ts';
import { type Browsing, FIXTURES, newNonce, run, startBrowsing } from './extension-setup.ts';

let browsing: Browsing;
beforeAll(async () => {
  browsing = await startBrowsing({ host: false });
});
afterAll(() => browsing?.close());

describe('host not installed', () => {
  it('status gets ERR_JPKI_NATIVE_UNAVAILABLE, telling to run install and doctor', async () => {
    const page = await browsing.open('status.html');
    const out = await run(page);
    expect(out).toMatchObject({ ok: false, code: 'ERR_JPKI_NATIVE_UNAVAILABLE', isJpkiError: true });
    // Both ways the host is installed (the extension cannot tell which), the guide, and no markup.
    if (!out.ok) expect(out.message).toMatch(/sudo apt install jpki-bridge.*jpki-bridge install.*jpki-bridge doctor.*guide-residents/);
    if (!out.ok) expect(out.message).not.toContain('`');
    await page.close();
  });

  it('authenticate opens the dialog at once, which says the host is missing; closing it gives the page ERR_JPKI_NATIVE_UNAVAILABLE', async () => {
    const page = await browsing.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await browsing.session.waitForDialog(undefined, pending);
    await dialog.waitForSelector('[data-testid=failed]');
    expect(await dialog.$eval('[data-testid=error]', (e) => e.textContent)).toContain('jpki-bridge install');
    expect(await dialog.$('#pin')).toBeNull(); // no PIN can be typed for a host that is not there
    await clickClosing(dialog, '#close');
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
    await page.close();
  });

  it('the popup tells to run jpki-bridge install', async () => {
    const page = await browsing.session.openPage(browsing.session.extensionUrl('popup.html'));
    await page.waitForSelector('[data-testid=popup-error]');
    expect(await page.$eval('[data-testid=popup-error]', (e) => e.textContent)).toContain('jpki-bridge install');
    await page.close();
  });

  it('a page the content script does not serve gets ERR_JPKI_EXTENSION_UNAVAILABLE after ~1 s', async () => {
    // 127.0.0.2 is loopback (a secure context) but not in the content script's matches.
    const other = await serveStatic({ root: FIXTURES, host: '127.0.0.2' });
    try {
      const page = await browsing.open('status.html', other.url);
      const started = Date.now();
      expect(await run(page)).toMatchObject({ ok: false, code: 'ERR_JPKI_EXTENSION_UNAVAILABLE', isJpkiError: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      await page.close();
    } finally {
      await other.close();
    }
  });
});
