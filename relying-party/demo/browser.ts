/**
 * Chromium with the extension, for the demo and its end-to-end test: launch (DESIGN §11 flags,
 * `--load-extension`), add the demo origin to the extension's portal allow-list, and type a PIN
 * into the extension's dialog window the way a user would.
 *
 * The allow-list lives in the extension's storage.local under `portalAllowList`
 * (extension/src/background/allow-list.ts; absent = the preset). The demo writes the preset plus
 * its own origin there from the extension's service worker — the same thing the options page
 * does when a user adds a site — before any demo page loads, because the content script asks the
 * background once per page whether the portal surface is on.
 */
import puppeteer, { type Browser, type Page, type Target } from 'puppeteer-core';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { DEFAULT_PORTAL_ALLOW_LIST } from '@jpki-bridge/shared/origin';

export const CHROMIUM = '/usr/bin/chromium';
export const ALLOW_LIST_KEY = 'portalAllowList';

/**
 * The flags of DESIGN §11 (a closed network: no background traffic), the UI language, and the
 * one extension to load. Shared with the end-to-end harness so both run Chromium alike.
 */
export function chromiumArgs(extensionDir: string, lang: 'ja' | 'en'): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--lang=${lang}`,
    `--accept-lang=${lang === 'ja' ? 'ja,en' : 'en,ja'}`,
    `--load-extension=${extensionDir}`,
    `--disable-extensions-except=${extensionDir}`,
  ];
}

export interface LaunchOptions {
  extensionDir: string;
  userDataDir: string;
  headless: boolean;
}

export async function launchBrowser(options: LaunchOptions): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: options.headless,
    userDataDir: options.userDataDir,
    // The extension's dialog follows the browser's UI language: Japanese first, as the sites.
    env: { ...process.env, LANGUAGE: 'ja', LANG: 'ja_JP.UTF-8' },
    defaultViewport: options.headless ? { width: 960, height: 760 } : null,
    // Puppeteer disables extensions by default; the demo is about one.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: chromiumArgs(options.extensionDir, 'ja'),
  });
}

function isExtensionWorker(target: Target): boolean {
  return target.type() === 'service_worker' && target.url().startsWith(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
}

/** Adds `origin` to the portal allow-list (keeping the preset and whatever the user added). */
export async function allowPortalOrigin(browser: Browser, origin: string): Promise<readonly string[]> {
  const target = await browser.waitForTarget(isExtensionWorker, { timeout: 20_000 });
  const worker = await target.worker();
  if (!worker) throw new Error('the extension service worker is not reachable');
  return worker.evaluate(
    async (key: string, preset: string[], add: string) => {
      type Area = { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
      const c = (globalThis as unknown as { chrome: { storage: { local: Area } } }).chrome;
      const stored = (await c.storage.local.get(key))[key];
      const list: string[] = Array.isArray(stored) ? (stored as string[]) : preset;
      const next = list.includes(add) ? list : [...list, add];
      await c.storage.local.set({ [key]: next });
      return next;
    },
    ALLOW_LIST_KEY,
    [...DEFAULT_PORTAL_ALLOW_LIST],
    origin,
  );
}

const isDialog = (t: Target) => t.type() === 'page' && t.url().startsWith(`chrome-extension://${CHROMIUM_EXTENSION_ID}/dialog.html`);

/** Resolves once no PIN dialog is open (the background closes it when an operation ends). */
export async function dialogClosed(browser: Browser, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (browser.targets().some(isDialog)) {
    if (Date.now() > deadline) throw new Error('the PIN dialog stayed open');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for the extension's PIN dialog window, types the PIN and submits. */
export async function enterPin(browser: Browser, pin: string, options: { screenshot?: string } = {}): Promise<void> {
  const target = await browser.waitForTarget(isDialog, { timeout: 30_000 });
  const dialog = (await target.page()) as Page;
  await dialog.waitForSelector('#pin', { visible: true, timeout: 15_000 });
  await dialog.type('#pin', pin);
  if (options.screenshot) await dialog.screenshot({ path: options.screenshot });
  await dialog.waitForSelector('#submit:not([disabled])', { timeout: 5_000 });
  await dialog.click('#submit');
}
