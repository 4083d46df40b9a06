/**
 * Issue 19 finding 6 in real Chromium: a page in a background tab, even right after the user's
 * activation in it, gets ERR_JPKI_TAB_NOT_IN_FRONT and no PIN dialog; the page in front gets its
 * dialog. No host is installed (the dialog then says so), so no card or pcscd is needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumSession, launchChromium } from '../../tools/dev/chromium.ts';
import { clickClosing } from '../../tools/dev/pin-dialog.ts';
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

describe('PIN verbs only from the tab in front', () => {
  it("a background tab's authenticate gets ERR_JPKI_TAB_NOT_IN_FRONT and no dialog; the front tab's opens one", async () => {
    const behind = await session.openPage(`${server.url}/authenticate.html`);
    const front = await session.openPage(`${server.url}/authenticate.html`);
    await front.bringToFront();
    const dialogs = () => session.browser.pages().then((pages) => pages.filter((page) => page.url().includes('/dialog.html')).length);

    // page.evaluate runs with a user gesture: the background page has the user's activation.
    expect(await run(behind, 'run', newNonce())).toMatchObject({ ok: false, code: 'ERR_JPKI_TAB_NOT_IN_FRONT', isJpkiError: true });
    expect(await dialogs()).toBe(0);

    const pending = run(front, 'run', newNonce());
    const dialog = await session.waitForDialog(undefined, pending);
    await dialog.waitForSelector('[data-testid=failed]');
    await clickClosing(dialog, '#close');
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
    await behind.close();
    await front.close();
  });
});
