/**
 * Dialog spam, end to end in real Chromium with the real host and the virtual card: a call made
 * without the user's activation in the page (a script on its own: a timer, a background tab) gets
 * ERR_JPKI_USER_ACTIVATION_REQUIRED and no dialog, the same call from a real click gets the
 * dialog; on the portal surface a page the user never touched gets no dialog; the dialog's
 * "block this site" refuses the site from then on, until the options page unblocks it; and a site
 * past its dialogs per minute stays refused after the extension's service worker is stopped and
 * started again (the counts live in storage.session, dialog-rate-limit.ts).
 */
import { createHash } from 'node:crypto';
import type { Page, Protocol, Target } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALOG_LIMIT } from '../../extension/src/background/dialog-rate-limit.ts';
import { cancel, clickClosing, dialogClosed } from '../../tools/dev/pin-dialog.ts';
import { serveStatic } from '../../tools/dev/static-server.ts';
import { evaluateWithoutActivation, pageActivation } from '../../tools/dev/user-activation.ts';
import { type E2E, FIXTURES, newNonce, run, startE2E } from './extension-setup.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ lang: 'ja' });
  await e2e.session.allowPortalOrigin(e2e.server.url);
});
afterAll(async () => {
  await e2e?.close();
});

const SHA256_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const digestInfo = (data: string) => Buffer.concat([SHA256_PREFIX, createHash('sha256').update(data).digest()]).toString('base64');
const dialogs = () => e2e.session.browser.targets().filter((t) => t.url().includes('/dialog.html'));

/** The click on activation.html's button starts the login; its outcome lands in window.outcome. */
async function clickLogin(page: Page): Promise<Page> {
  await page.click('#login');
  return e2e.session.waitForDialog();
}
const outcome = (page: Page) =>
  page.waitForFunction(() => (window as any).outcome, { timeout: 15_000 }).then((h) => h.jsonValue()) as Promise<Record<string, unknown>>;

describe('a PIN dialog needs the user’s activation in the page', () => {
  it('a login a script starts on its own gets ERR_JPKI_USER_ACTIVATION_REQUIRED and no dialog', async () => {
    const page = await e2e.open('authenticate.html');
    expect(await pageActivation(page)).toEqual({ isActive: false, hasBeenActive: false });
    const out = await evaluateWithoutActivation(page, (nonce: string) => (window as any).run(nonce), newNonce());
    expect(out).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_ACTIVATION_REQUIRED', isJpkiError: true });
    expect(dialogs()).toHaveLength(0);
    await page.close();
  });

  it('jpki:status needs none', async () => {
    const page = await e2e.open('status.html');
    expect(await evaluateWithoutActivation(page, () => (window as any).run())).toMatchObject({ ok: true });
    await page.close();
  });

  it('the same login from a real click gets the dialog', async () => {
    const page = await e2e.open('activation.html');
    await cancel(await clickLogin(page));
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    await page.close();
  });

  it('a portal page the user never acted on gets result "1" with the activation error, and no dialog; after a click it gets the dialog', async () => {
    const page = await e2e.open('portal.html');
    const detail = { mode: '01', service_id: '01', digest: digestInfo('login challenge') };
    const refused = await evaluateWithoutActivation(page, (d: unknown) => (window as any).launch(d, 10_000), detail);
    expect(refused).toMatchObject({ result: '1', jpki_error: 'ERR_JPKI_USER_ACTIVATION_REQUIRED' });
    expect(dialogs()).toHaveLength(0);
    // One click anywhere on the page: sticky activation, as after the user pressed the portal's login button.
    await page.mouse.click(20, 20);
    const pending = evaluateWithoutActivation(page, (d: unknown) => (window as any).launch(d), detail);
    await cancel(await e2e.session.waitForDialog(undefined, pending));
    expect(await pending).toMatchObject({ result: '1', jpki_error: 'ERR_JPKI_USER_CANCELLED' });
    await page.close();
  });
});

describe('"block this site" in the dialog', () => {
  it('refuses the site from then on without a dialog, other sites still served, until the options page unblocks it', async () => {
    const page = await e2e.open('activation.html');
    await clickClosing(await clickLogin(page), '#block-site');
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });

    const blocked = await run(page, 'run', newNonce());
    expect(blocked).toMatchObject({ ok: false, code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' });
    expect(await run(page, 'call', 'status')).toMatchObject({ ok: false, code: 'ERR_JPKI_ORIGIN_NOT_ALLOWED' });
    expect(dialogs()).toHaveLength(0);
    await page.close();

    // The other local origin is another site: served as before.
    const other = await e2e.open('authenticate.html', e2e.server.url.replace('localhost', '127.0.0.1'));
    const pending = run(other, 'run', newNonce());
    await cancel(await e2e.session.waitForDialog(undefined, pending));
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    await other.close();

    const options = await e2e.session.openPage(e2e.session.extensionUrl('options.html'));
    await options.waitForSelector(`#blocked li[data-origin="${e2e.server.url}"]`);
    await options.click(`#blocked li[data-origin="${e2e.server.url}"] button`);
    await options.waitForSelector('[data-testid=blocked-none]');
    await options.close();

    const again = await e2e.open('activation.html');
    await cancel(await clickLogin(again));
    expect(await outcome(again)).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    await again.close();
  });
});

describe('the dialogs per minute outlive the service worker', () => {
  const worker = () => e2e.session.browser.targets().find((t: Target) => t.type() === 'service_worker' && t.url().startsWith(e2e.session.extensionUrl('')));
  /** In the extension's service worker, over a CDP session of its own (the target outlives a stop and a start). */
  async function inWorker(expression: string): Promise<unknown> {
    const cdp = await worker()!.createCDPSession();
    try {
      return (await cdp.send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
    } finally {
      await cdp.detach();
    }
  }

  it('a site past DIALOG_LIMIT.max is still RATE_LIMITED after the worker was stopped and started again', async () => {
    // A port of its own: an origin no other test here has counted dialogs for.
    const server = await serveStatic({ root: FIXTURES });
    const page = await e2e.open('activation.html', server.url);
    for (let i = 0; i < DIALOG_LIMIT.max; i++) {
      await page.evaluate(() => ((window as any).outcome = null));
      await cancel(await clickLogin(page));
      expect(await outcome(page)).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
      await dialogClosed(e2e.session.browser);
    }
    await page.evaluate(() => ((window as any).outcome = null));
    await page.click('#login');
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'ERR_JPKI_RATE_LIMITED' });

    await inWorker('globalThis.lifeBeforeStop = true');
    // The ServiceWorker domain of one of the extension's own pages reaches the extension's worker.
    const options = await e2e.session.openPage(e2e.session.extensionUrl('options.html'));
    const cdp = await options.createCDPSession();
    const states: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: Protocol.ServiceWorker.WorkerVersionUpdatedEvent) => {
      for (const version of versions) if (version.scriptURL.startsWith(e2e.session.extensionUrl(''))) states.push(version.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('stopped');

    // The page's next click wakes the worker: a new life, the same refusal, no dialog. (Headless
    // Chromium delivers no click to a tab behind another.)
    await page.bringToFront();
    await page.evaluate(() => ((window as any).outcome = null));
    await page.click('#login');
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'ERR_JPKI_RATE_LIMITED' });
    expect(states.slice(states.lastIndexOf('stopped'))).toEqual(expect.arrayContaining(['starting', 'running']));
    expect(await inWorker('globalThis.lifeBeforeStop ?? false')).toBe(false);
    expect(dialogs()).toHaveLength(0);

    await cdp.detach();
    await options.close();
    await page.close();
    await server.close();
  });
});
