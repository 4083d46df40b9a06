/**
 * End to end through Chromium, the extension, the real host, pcscd and the virtual card:
 * login, origin binding, cancel, timeout, one operation at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { cancel, enterPin } from '../../tools/dev/pin-dialog.ts';
import { type E2E, dialogText, newNonce, run, startE2E, verifyToken } from './extension-setup.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ lang: 'ja' });
});
afterAll(async () => {
  await e2e?.close();
});

describe('jpki:* login through the browser', () => {
  it('status gives the extension and host versions and nothing else', async () => {
    const page = await e2e.open('status.html');
    const out = await run(page);
    expect(out).toEqual({ ok: true, result: { extensionVersion: '0.1.0', hostVersion: '0.1.0' } });
    await page.close();
  });

  it('a login gives a token that verifies for the origin and nonce the test chose', async () => {
    const page = await e2e.open('authenticate.html');
    const nonce = newNonce();
    const pending = run(page, 'run', nonce);
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, '#origin')).toBe(e2e.server.url);
    expect(await dialog.$('[data-testid=untrusted-warning]')).not.toBeNull();
    expect(await dialogText(dialog, '[data-testid=what]')).toContain('ログイン');
    expect(await dialogText(dialog, '[data-testid=tries]')).toContain('残り 3 回');
    await enterPin(dialog, VIRTUAL_PINS.auth);
    const out = await pending;
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(verifyToken(out.result, e2e.server.url, nonce)).toBe(true);
    expect(verifyToken(out.result, 'https://bank.example', nonce)).toBe(false);
    expect(out.result.appVersion).toMatch(/0\.1\.0$/);
    await page.close();
  });

  it('an origin the page puts in its message is ignored: the token is bound to the real origin', async () => {
    const page = await e2e.open('spoof-origin.html');
    const nonce = newNonce();
    const pending = run(page, 'run', nonce);
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, '#origin')).toBe(e2e.server.url);
    await enterPin(dialog, VIRTUAL_PINS.auth);
    const out = await pending;
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(verifyToken(out.result, e2e.server.url, nonce)).toBe(true);
    expect(verifyToken(out.result, 'https://bank.example', nonce)).toBe(false);
    await page.close();
  });

  it('a message another window posts into the page (a cross-origin iframe) is ignored: no ack, no dialog', async () => {
    const page = await e2e.open('status.html');
    const other = e2e.server.url.replace('localhost', '127.0.0.1');
    await page.evaluate(() => {
      (window as any).seen = [] as string[];
      addEventListener('message', (event) => (window as any).seen.push(String(event.data?.action)));
    });
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
      return new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    }, `${other}/status.html`);
    const frame = page.frames().find((f) => f.url().startsWith(other))!;
    expect(frame).toBeDefined();
    // The framed page (another origin) posts a login request into its parent, as the library would.
    await frame.evaluate((nonce) => {
      const message = { action: 'jpki:authenticate', requestId: 'from-frame', challengeNonce: nonce };
      for (let i = 0; i < 20; i++) setTimeout(() => parent.postMessage(message, '*'), i * 100);
    }, newNonce());
    await new Promise((r) => setTimeout(r, 2_500));
    const seen: string[] = await page.evaluate(() => (window as any).seen);
    expect(seen.filter((a) => a === 'jpki:authenticate').length).toBeGreaterThan(0); // they did arrive
    expect(seen.filter((a) => a.startsWith('jpki:authenticate-'))).toEqual([]); // and were not answered
    expect(e2e.session.browser.targets().filter((t) => t.url().includes('/dialog.html'))).toHaveLength(0);
    // The same page posting to itself is served (the check above is not vacuous).
    await page.evaluate(() => postMessage({ action: 'jpki:status', requestId: 'own' }, location.origin));
    await page.waitForFunction(() => (window as any).seen.includes('jpki:status-success'), { timeout: 10_000 });
    await page.close();
  });

  it('cancelling gives ERR_JPKI_USER_CANCELLED, and the dialog window goes away', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await cancel(dialog);
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED', isJpkiError: true });
    await page.close();
  });

  it('Escape cancels too (keyboard only)', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    // The window closes while the key is still down: the keyup has no target any more.
    await dialog.keyboard.press('Escape').catch(() => {});
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    await page.close();
  });

  it('closing the dialog window cancels', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await dialog.close();
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    await page.close();
  });

  it('closing the requesting page closes its dialog', async () => {
    const page = await e2e.open('authenticate.html');
    const pending = run(page, 'run', newNonce());
    pending.catch(() => {}); // the page is closed below: its call never answers
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    const closed = new Promise<void>((resolve) => dialog.once('close', () => resolve()));
    await page.close();
    await closed;
    // and the lock is free again
    const next = await e2e.open('status.html');
    const login = await e2e.open('authenticate.html');
    const again = run(login, 'run', newNonce());
    await cancel(await e2e.session.waitForDialog(undefined, again));
    expect(await again).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_CANCELLED' });
    await next.close();
    await login.close();
  });

  it('a short timeout asked for by the page ends in ERR_JPKI_USER_TIMEOUT', async () => {
    const page = await e2e.open('authenticate.html');
    const started = Date.now();
    const pending = run(page, 'run', newNonce(), 3_000);
    await e2e.session.waitForDialog(undefined, pending);
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_USER_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    await page.close();
  });

  it('a second request while one is open gets ERR_JPKI_ACTION_PENDING', async () => {
    const first = await e2e.open('authenticate.html');
    const second = await e2e.open('authenticate.html', e2e.server.url.replace('localhost', '127.0.0.1'));
    // Each request comes from the tab the user is looking at (a background tab is refused:
    // extension-front-tab.test.ts), so the user shows each site before clicking in it.
    await first.bringToFront();
    const pending = run(first, 'run', newNonce());
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    // The same page asks again while its dialog has the focus: busy, not "not in front".
    expect(await run(first, 'run', newNonce())).toMatchObject({ ok: false, code: 'ERR_JPKI_ACTION_PENDING' });
    // The user switches to the other site's tab and asks there: busy too.
    await second.bringToFront();
    expect(await run(second, 'run', newNonce())).toMatchObject({ ok: false, code: 'ERR_JPKI_ACTION_PENDING' });
    await enterPin(dialog, VIRTUAL_PINS.auth);
    expect(await pending).toMatchObject({ ok: true });
    await first.close();
    await second.close();
  });
});
