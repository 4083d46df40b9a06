/**
 * The testing kit's session controls, through real Chromium, the real host and the virtual card
 * behind pcscd + vpcd, as a site's error-path tests use them: a session started without a card
 * (the dialog says so; insertCard() + retry() and the login goes through), the card pulled
 * mid-login, the host killed mid-login (and restarted by the next call), a session without a
 * reader and one without the host (even with a host installed for every user). Each time the page gets the error (code and message) the
 * browserless card (createVirtualCard) gives for the same control — the same, with or without a browser.
 */
import { chmod, copyFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { type JpkiTestSession, startJpkiTest } from '../../packages/testing/src/index.ts';
import { CHROMIUM } from '../../tools/dev/chromium.ts';
import { installHostForChromium } from '../../tools/dev/host-install.ts';
import { createVirtualCard, type InProcessVirtualCard } from '../../tools/dev/in-process-card.ts';
import { serveStatic, type StaticServer } from '../../tools/dev/static-server.ts';
import { type CallResult, FIXTURES, newNonce, run } from './extension-setup.ts';

let server: StaticServer;
let browserless: InProcessVirtualCard;
beforeAll(async () => {
  [server, browserless] = await Promise.all([serveStatic({ root: FIXTURES }), createVirtualCard({ persona: 'adult' })]);
});
afterAll(() => server?.close());

/** The browserless card's error for a login, after `setUp` applied its control. */
async function browserlessError(setUp: (card: InProcessVirtualCard) => void, without?: 'card' | 'reader' | 'host'): Promise<{ code: string; message: string }> {
  const card = await createVirtualCard({ state: structuredClone(browserless.state), ...(without ? { without } : {}) });
  setUp(card);
  return card.authenticate({ origin: server.url, challengeNonce: newNonce() }).then(
    () => ({ code: 'none: the login went through', message: '' }),
    ({ code, message }: { code: string; message: string }) => ({ code, message }),
  );
}

/** The page's error, as the browserless card's is compared with it. */
function pageError(out: CallResult): { code: string; message: string } {
  return out.ok ? { code: 'none: the login went through', message: '' } : { code: out.code, message: out.message };
}

/** A login started on the fixture page (the kit's user click is page.evaluate's gesture here). */
async function login(jpki: JpkiTestSession): Promise<{ page: Page; pending: Promise<CallResult> }> {
  const page = await jpki.openPage(`${server.url}/authenticate.html`);
  const pending = run(page, 'run', newNonce());
  pending.catch(() => {}); // awaited by the test; not an unhandled rejection when the test fails before
  return { page, pending };
}

describe('a session started without the card (pcsc)', () => {
  let jpki: JpkiTestSession;
  beforeAll(async () => {
    jpki = await startJpkiTest({ card: 'pcsc', without: 'card' });
  });
  afterAll(() => jpki?.close());

  it('the dialog says no card; insertCard() and 再試行 and the login goes through', async () => {
    // No operation yet, so no host: the extension starts one per operation.
    await expect(jpki.stopHost()).rejects.toThrow(/no host is running/);
    const { page, pending } = await login(jpki);
    expect(await jpki.dialogState()).toEqual({ phase: 'failed', error: 'ERR_JPKI_NO_CARD', retryable: true });
    await jpki.insertCard();
    expect(await jpki.retry()).toEqual({ phase: 'enter', error: null, retryable: false });
    await jpki.enterPin(jpki.pins.auth);
    expect(await pending).toMatchObject({ ok: true });
    await page.close();
  });

  it('the card pulled mid-login: the PIN goes nowhere and the page gets ERR_JPKI_NO_CARD, as browserless', async () => {
    const { page, pending } = await login(jpki);
    expect(await jpki.dialogState()).toMatchObject({ phase: 'enter' });
    await jpki.pullCard();
    await jpki.enterPin(jpki.pins.auth);
    const out = await pending;
    expect(out).toMatchObject({ ok: false, code: 'ERR_JPKI_NO_CARD', isJpkiError: true });
    expect(await browserlessError((card) => card.pull())).toEqual(pageError(out));
    await page.close();
    await jpki.insertCard();
  });

  it('the host killed mid-login: the page gets ERR_JPKI_NATIVE_UNAVAILABLE, as browserless; the next login starts a new host', async () => {
    const first = await login(jpki);
    expect(await jpki.dialogState()).toMatchObject({ phase: 'enter' });
    await jpki.stopHost();
    await jpki.enterPin(jpki.pins.auth);
    const out = await first.pending;
    expect(out).toMatchObject({ ok: false, code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
    expect(await browserlessError((card) => card.stopHost())).toEqual(pageError(out));
    await first.page.close();

    const again = await login(jpki);
    await jpki.enterPin(jpki.pins.auth);
    expect(await again.pending).toMatchObject({ ok: true });
    await again.page.close();
  });

  it('replaceCard() shares the card handle: the renewed card logs in with a new certificate, and pulls as the first did', async () => {
    const certificate = async () => {
      const { page, pending } = await login(jpki);
      await jpki.enterPin(jpki.pins.auth);
      const out = await pending;
      await page.close();
      return out.ok ? (out.result as { unverifiedCertificate: string }).unverifiedCertificate : out.code;
    };
    const before = await certificate();
    await jpki.replaceCard();
    const after = await certificate();
    expect(after).toMatch(/^MII/);
    expect(after).not.toBe(before);
    await jpki.pullCard();
    const { page, pending } = await login(jpki);
    expect(await jpki.dialogState()).toMatchObject({ error: 'ERR_JPKI_NO_CARD' });
    await jpki.closeDialog();
    expect(await pending).toMatchObject({ ok: false, code: 'ERR_JPKI_NO_CARD' });
    await page.close();
  });
});

/**
 * Chromium in a mount namespace of its own whose /etc/chromium holds a working jpki-bridge host
 * for every user, as the Debian package installs it — seen by this browser only (the package
 * tests that install the real one may run beside this file).
 */
async function chromiumWithSystemWideHost(dir: string): Promise<string> {
  const etc = join(dir, 'etc-chromium');
  await cp('/etc/chromium', etc, { recursive: true });
  const installed = await installHostForChromium(join(dir, 'system-host'), { card: 'pcsc' }, join(dir, 'config'));
  await mkdir(join(etc, 'native-messaging-hosts'));
  await copyFile(installed, join(etc, 'native-messaging-hosts', basename(installed)));
  const wrapper = join(dir, 'chromium-with-system-host');
  await writeFile(
    wrapper,
    `#!/bin/sh\nexec unshare --mount sh -c 'mount --bind "$0" /etc/chromium && browser="$1" && shift && exec "$browser" "$@"' '${etc}' '${CHROMIUM}' "$@"\n`,
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}

describe.each([
  { without: 'reader', card: 'pcsc', code: 'ERR_JPKI_NO_READER', retryable: true },
  // No host: the card's path does not matter; the mock one leaves the vpcd readers alone. A host
  // installed for every user must not answer instead (root only: the namespace needs it).
  { without: 'host', card: 'mock', code: 'ERR_JPKI_NATIVE_UNAVAILABLE', retryable: false, systemWideHost: process.getuid?.() === 0 },
] as const)('a session without the $without', ({ without, card, code, retryable, ...rest }) => {
  let jpki: JpkiTestSession;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jpki-kit-controls-'));
    const chromium = 'systemWideHost' in rest && rest.systemWideHost ? await chromiumWithSystemWideHost(dir) : undefined;
    jpki = await startJpkiTest({ card, without, ...(chromium ? { chromium } : {}) });
  });
  afterAll(async () => {
    await jpki?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`the dialog shows ${code}; closed, the page gets it, as browserless`, async () => {
    const { page, pending } = await login(jpki);
    expect(await jpki.dialogState()).toEqual({ phase: 'failed', error: code, retryable });
    await jpki.closeDialog();
    const out = await pending;
    expect(out).toMatchObject({ ok: false, code });
    expect(await browserlessError(() => {}, without)).toEqual(pageError(out));
    await page.close();
  });
});
