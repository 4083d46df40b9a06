/**
 * Debian's Chromium (through puppeteer-core, never a downloaded browser) with the built extension
 * and, unless told otherwise, the native host installed for its profile — for the demo, the
 * end-to-end tests and the browser bench.
 *
 *   const chromium = await launchChromium({ lang: 'ja', host: { card: 'pcsc' } });
 *   await chromium.allowPortalOrigin('http://localhost:8765');  // before the page loads
 *   const page = await chromium.openPage('http://localhost:8765/login');
 *   const dialog = await chromium.waitForDialog();               // see pin-dialog.ts
 *   await enterPin(dialog, VIRTUAL_PINS.auth);
 *   await chromium.close();
 *
 * The profile is a throw-away temp dir unless `userDataDir` names one to keep (the demo's).
 *
 * The extension is loaded over CDP (`Extensions.loadUnpacked`, puppeteer's `enableExtensions` +
 * `browser.installExtension`), not with `--load-extension`: Google Chrome 137 and later ignore that
 * flag (Chrome for Testing and Chromium accept CDP loading), and a site's CI often has Chrome.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page, type Target } from 'puppeteer-core';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { DEFAULT_PORTAL_ALLOW_LIST } from '@jpki-bridge/shared/origin';
import { ALLOW_LIST_KEY, ALLOW_LIST_VERSION, ALLOW_LIST_VERSION_KEY, PRESENT_WINDOWS_KEY } from '../../extension/src/settings/storage-keys.ts';
import { ensureBuilt, EXTENSION_DIR } from './checkout.ts';
import { forgetStaleExtensionWorker } from './extension-worker-cache.ts';
import { hostEnv, installHostForChromium, type HostInstall } from './host-install.ts';
import { waitForDialog } from './pin-dialog.ts';

export const CHROMIUM = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** UI language: `--lang` and LANGUAGE (the PIN dialog's primary language follows it). Default `ja`. */
  lang?: 'ja' | 'en';
  /** The native host to install into the profile, or false for none. Default `{ card: 'pcsc' }`. */
  host?: HostInstall | false;
  /** Default true (the new headless mode, which runs extensions). */
  headless?: boolean;
  /** Page size; null = the window's own size (a headed browser). Default 900×700. */
  viewport?: { width: number; height: number } | null;
  /** A profile to use and keep; default a temp dir removed by close(). */
  userDataDir?: string;
  /** The browser to start; default `$CHROME_PATH`, else Debian's Chromium (CHROMIUM). */
  executablePath?: string;
  /**
   * Real site names served by a local server: each hostname resolves to `target` (`127.0.0.1:PORT`),
   * and the certificate whose key has this `spki` (tls-certificate.ts) is trusted — only that key.
   */
  aliases?: { hostnames: readonly string[]; target: string; spki: string };
  /**
   * Default true. False leaves out puppeteer's `--enable-automation`, whose "controlled by automated
   * test software" bar would cover the top of every window in a screenshot of the screen.
   */
  automationBar?: boolean;
}

export interface ChromiumSession {
  browser: Browser;
  userDataDir: string;
  /** XDG_CONFIG_HOME of the host this browser starts: `<configHome>/jpki-bridge` holds its installation uuid. */
  configHome: string;
  extensionId: string;
  extensionUrl(path: string): string;
  openPage(url: string): Promise<Page>;
  /** The next PIN dialog of this browser (see pin-dialog.ts waitForDialog). */
  waitForDialog(timeoutMs?: number, operation?: Promise<unknown>): Promise<Page>;
  /**
   * Adds `origin` to the portal allow-list (the preset while nothing is stored, plus what is
   * there), as a user does on the options page; `presentWindows` sets its "present as Windows"
   * switch (off by default for an added site). Returns the new list.
   */
  allowPortalOrigin(origin: string, options?: { presentWindows?: boolean }): Promise<readonly string[]>;
  /** Closes the browser; removes the profile if it was a temp dir. */
  close(): Promise<void>;
}

/**
 * Flags for a closed network (no background traffic, no updates, no sync) and the UI language.
 * No extension flag: the extension comes over CDP once the browser runs.
 */
function chromiumArgs(lang: 'ja' | 'en', aliases: ChromiumOptions['aliases']): string[] {
  const aliasArgs = aliases
    ? [
        `--host-resolver-rules=${aliases.hostnames.map((name) => `MAP ${name} ${aliases.target}`).join(', ')}`,
        `--ignore-certificate-errors-spki-list=${aliases.spki}`,
      ]
    : [];
  return [
    ...aliasArgs,
    ...sandboxArgs(),
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--lang=${lang}`,
    `--accept-lang=${lang === 'ja' ? 'ja,en' : 'en,ja'}`,
  ];
}

/**
 * Chromium's sandbox stays on, except as root, where Chromium refuses to start with it ("Running
 * as root without --no-sandbox is not supported"): the tests here and CI containers run as root;
 * a developer running the testing kit does not, and their browser keeps its sandbox.
 */
export function sandboxArgs(uid: number | undefined = process.getuid?.()): string[] {
  return uid === 0 ? ['--no-sandbox'] : [];
}

const isExtensionWorker = (target: Target) => target.type() === 'service_worker' && target.url().startsWith(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);

/** The option, else `$CHROME_PATH` (what CI images and setup-chrome actions set), else Debian's Chromium. */
export function chromiumPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option ?? (env.CHROME_PATH || CHROMIUM);
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<ChromiumSession> {
  ensureBuilt(['chromium-extension', 'page-library']);
  const lang = options.lang ?? 'ja';
  const temporary = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'jpki-bridge-chromium-')));
  const host = options.host === undefined ? { card: 'pcsc' } : options.host;
  // Inside the profile: a kept profile (the demo's) keeps its uuid, a temporary one takes it along.
  const configHome = join(userDataDir, 'config');
  if (host) await installHostForChromium(userDataDir, host, configHome);
  // A kept profile may still hold an older build's background (extension-worker-cache.ts).
  if (!temporary) forgetStaleExtensionWorker(userDataDir, EXTENSION_DIR);

  const browser = await puppeteer.launch({
    executablePath: chromiumPath(options.executablePath),
    headless: options.headless ?? true,
    userDataDir,
    defaultViewport: options.viewport === undefined ? { width: 900, height: 700 } : options.viewport,
    env: hostEnv(configHome, { ...process.env, LANGUAGE: lang, LANG: lang === 'ja' ? 'ja_JP.UTF-8' : 'en_US.UTF-8' }),
    // `--enable-unsafe-extension-debugging` instead of `--disable-extensions`; CDP over a pipe,
    // which Extensions.loadUnpacked needs.
    enableExtensions: true,
    pipe: true,
    args: chromiumArgs(lang, options.aliases),
    ...(options.automationBar === false ? { ignoreDefaultArgs: ['--enable-automation'] } : {}),
  });
  let extensionId: string;
  try {
    // The manifest's `key` fixes the id: the host's manifest allows only the pinned one.
    extensionId = await browser.installExtension(EXTENSION_DIR);
    if (extensionId !== CHROMIUM_EXTENSION_ID)
      throw new Error(`the extension loaded as ${extensionId}, not the pinned ${CHROMIUM_EXTENSION_ID}: is the manifest's key missing?`);
    // The service worker's start proves the extension runs.
    await browser.waitForTarget(isExtensionWorker, { timeout: 20_000 });
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
  const extensionUrl = (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
  // A fresh profile installs the extension, which opens its first-run tab (first-run.ts) in front.
  // Waiting for it here keeps it from opening later, in front of a page a test has just opened.
  if (temporary) await browser.waitForTarget((t) => t.url() === extensionUrl('welcome.html'), { timeout: 20_000 });

  return {
    browser,
    userDataDir,
    configHome,
    extensionId,
    extensionUrl,
    async openPage(url) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      // The user looks at the site they opened: its tab in front, as a PIN request needs (front-tab.ts).
      await page.bringToFront();
      return page;
    },
    waitForDialog: (timeoutMs, operation) => waitForDialog(browser, { timeoutMs, operation }),
    async allowPortalOrigin(origin, { presentWindows } = {}) {
      // Written by one of the extension's own pages, as the options page does: an extension page
      // can always be opened, while the service worker may be asleep.
      const page = await browser.newPage();
      try {
        await page.goto(extensionUrl('options.html'));
        return await page.evaluate(
          async (keys: { list: string; version: string; windows: string }, version: number, preset: string[], add: string, windows: boolean | null) => {
            type Area = { get(keys: string | string[]): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
            const local = (globalThis as unknown as { chrome: { storage: { local: Area } } }).chrome.storage.local;
            // A list an older build stored is migrated by the extension itself (extension/src/settings/allow-list-migration.ts) when
            // the background starts: stamping it current here would skip or race that migration.
            for (let waited = 0; ; waited += 50) {
              const { [keys.list]: old, [keys.version]: oldVersion } = await local.get([keys.list, keys.version]);
              if (!Array.isArray(old) || oldVersion === version) break;
              if (waited >= 10_000) throw new Error('the extension did not migrate the stored portal allow-list: is the running background the built one?');
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
            const stored = (await local.get(keys.list))[keys.list];
            const list: string[] = Array.isArray(stored) ? (stored as string[]) : preset;
            const next = list.includes(add) ? list : [...list, add];
            const choices = ((await local.get(keys.windows))[keys.windows] ?? {}) as Record<string, boolean>;
            if (windows !== null) choices[add] = windows;
            await local.set({ [keys.list]: next, [keys.version]: version, [keys.windows]: choices });
            return next;
          },
          { list: ALLOW_LIST_KEY, version: ALLOW_LIST_VERSION_KEY, windows: PRESENT_WINDOWS_KEY },
          ALLOW_LIST_VERSION,
          [...DEFAULT_PORTAL_ALLOW_LIST],
          origin,
          presentWindows ?? null,
        );
      } finally {
        await page.close();
      }
    },
    async close() {
      await browser.close().catch(() => {});
      if (temporary) await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    },
  };
}
