/**
 * A kept Chromium profile (the demo's `.demo/chromium-profile`) opened after a rebuild runs the
 * built extension, in real Chromium: a profile that ran an older build of the extension — same id,
 * same manifest version, another background — and stored an allow-list of the old preset's shape.
 * Chromium alone would go on running the stored older background (a demo login then ended in
 * ERR_JPKI_UNKNOWN after the host had answered ok: the old background rejected the new token).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Target } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { DEFAULT_PORTAL_ALLOW_LIST } from '@jpki-bridge/shared/origin';
import { ALLOW_LIST_KEY } from '../../extension/src/settings/storage-keys.ts';
import { ensureBuilt, EXTENSION_DIR } from '../../tools/dev/checkout.ts';
import { CHROMIUM, launchChromium } from '../../tools/dev/chromium.ts';

const USER_SITE = 'https://city.example.jp';
/** The list as builds before the exact-origin preset stored it: their preset's wildcards, no version. */
const OLDER_STORED_LIST = ['*.myna.go.jp', '*.e-tax.nta.go.jp', '*.nta.go.jp', '*.go.jp', '*.lg.jp', USER_SITE];
const isOurWorker = (target: Target) => target.type() === 'service_worker' && target.url().startsWith(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);

/** `globalThis.build` in the extension's running service worker (undefined in the real build). */
async function runningBuild(browser: Browser): Promise<unknown> {
  const worker = await (await browser.waitForTarget(isOurWorker, { timeout: 20_000 })).worker();
  return worker!.evaluate(() => (globalThis as { build?: unknown }).build);
}

let root: string;
let profile: string;

beforeAll(async () => {
  ensureBuilt(['chromium-extension', 'page-library']);
  root = mkdtempSync(join(tmpdir(), 'jpki-bridge-kept-profile-'));
  profile = join(root, 'profile');
  // The older build: the same extension (key, id, version) with a background of its own, which
  // stores the allow-list as builds before the exact-origin preset did (no version beside it).
  const older = join(root, 'older-extension');
  cpSync(EXTENSION_DIR, older, { recursive: true });
  writeFileSync(join(older, 'background.js'), `globalThis.build = 'older';\n`);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--load-extension=${older}`, `--disable-extensions-except=${older}`],
  });
  try {
    expect(await runningBuild(browser)).toBe('older');
    const worker = await (await browser.waitForTarget(isOurWorker)).worker();
    await worker!.evaluate(
      (key, list) =>
        (globalThis as unknown as { chrome: { storage: { local: { set(items: object): Promise<void> } } } }).chrome.storage.local.set({ [key]: list }),
      ALLOW_LIST_KEY,
      OLDER_STORED_LIST,
    );
  } finally {
    await browser.close();
  }
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a kept Chromium profile that ran an older build of the extension', () => {
  it('runs the built background at the next launch, and the allow-list the older build stored is migrated, not stamped current', async () => {
    const session = await launchChromium({ userDataDir: profile, host: false });
    try {
      expect(await runningBuild(session.browser)).toBeUndefined();
      const list = await session.allowPortalOrigin('http://localhost:8765');
      expect(list).toEqual([...DEFAULT_PORTAL_ALLOW_LIST, USER_SITE, 'http://localhost:8765']);
    } finally {
      await session.close();
    }
  }, 60_000);

  it('keeps running the built background when opened again with the same build', async () => {
    const session = await launchChromium({ userDataDir: profile, host: false });
    try {
      expect(await runningBuild(session.browser)).toBeUndefined();
      expect(await session.allowPortalOrigin('http://localhost:8765')).toEqual([...DEFAULT_PORTAL_ALLOW_LIST, USER_SITE, 'http://localhost:8765']);
    } finally {
      await session.close();
    }
  }, 60_000);
});
