/**
 * Issue 19 finding 6 in real Chromium: a page in a background tab, even right after the user's
 * activation in it, gets ERR_JPKI_TAB_NOT_IN_FRONT and no PIN dialog; the page in front gets its
 * dialog. No host is installed (the dialog then says so), so no card or pcscd is needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickClosing } from '../../tools/dev/pin-dialog.ts';
import { type Browsing, newNonce, run, startBrowsing } from './extension-setup.ts';

let browsing: Browsing;
beforeAll(async () => {
  browsing = await startBrowsing({ host: false });
});
afterAll(() => browsing?.close());

describe('PIN verbs only from the tab in front', () => {
  it("a background tab's authenticate gets ERR_JPKI_TAB_NOT_IN_FRONT and no dialog; the front tab's opens one", async () => {
    const behind = await browsing.open('authenticate.html');
    const front = await browsing.open('authenticate.html'); // opened last, and brought to the front by open()
    const dialogs = () => browsing.session.browser.pages().then((pages) => pages.filter((page) => page.url().includes('/dialog.html')).length);

    // page.evaluate runs with a user gesture: the background page has the user's activation.
    expect(await run(behind, 'run', newNonce())).toMatchObject({ ok: false, code: 'ERR_JPKI_TAB_NOT_IN_FRONT', isJpkiError: true });
    expect(await dialogs()).toBe(0);

    const pending = run(front, 'run', newNonce());
    const dialog = await browsing.session.waitForDialog(undefined, pending);
    await dialog.waitForSelector('[data-testid=failed]');
    await clickClosing(dialog, '#close');
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
    await behind.close();
    await front.close();
  });
});
