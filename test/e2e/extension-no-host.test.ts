/** No native host installed: the page learns ERR_JPKI_NATIVE_UNAVAILABLE with the install/doctor advice. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumSession, launchChromium } from '../../tools/dev/chromium.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { FIXTURES, newNonce, run } from './extension-setup.ts';

let session: ChromiumSession;
let server: StaticServer;
beforeAll(async () => {
  server = await serveStatic({ root: FIXTURES });
  session = await launchChromium({ host: false });
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe('host not installed', () => {
  it('status gets ERR_JPKI_NATIVE_UNAVAILABLE, telling to run install and doctor', async () => {
    const page = await session.openPage(`${server.url}/status.html`);
    const out = await run(page);
    expect(out).toMatchObject({ ok: false, code: 'ERR_JPKI_NATIVE_UNAVAILABLE', isJpkiError: true });
    if (!out.ok) expect(out.message).toMatch(/jpki-bridge install.*jpki-bridge doctor/);
    await page.close();
  });

  it('authenticate gets ERR_JPKI_NATIVE_UNAVAILABLE without opening a dialog', async () => {
    const page = await session.openPage(`${server.url}/authenticate.html`);
    expect(await run(page, 'run', newNonce())).toMatchObject({ ok: false, code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
    expect(session.browser.targets().some((t) => t.url().includes('/dialog.html'))).toBe(false);
    await page.close();
  });

  it('the popup tells to run jpki-bridge install', async () => {
    const page = await session.openPage(session.extensionUrl('popup.html'));
    await page.waitForSelector('[data-testid=popup-error]');
    expect(await page.$eval('[data-testid=popup-error]', (e) => e.textContent)).toContain('jpki-bridge install');
    await page.close();
  });

  it('a page the content script does not serve gets ERR_JPKI_EXTENSION_UNAVAILABLE after ~1 s', async () => {
    // 127.0.0.2 is loopback (a secure context) but not in the content script's matches.
    const other = await serveStatic({ root: FIXTURES, host: '127.0.0.2' });
    try {
      const page = await session.openPage(`${other.url}/status.html`);
      const started = Date.now();
      expect(await run(page)).toMatchObject({ ok: false, code: 'ERR_JPKI_EXTENSION_UNAVAILABLE', isJpkiError: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      await page.close();
    } finally {
      await other.close();
    }
  });
});
