/**
 * firefox-esr over WebDriver BiDi (puppeteer-core) with the Firefox build installed as a
 * temporary add-on (`webExtension.install`) and the native host installed under a HOME of its
 * own. Web pages can be driven over BiDi; extension pages (the PIN dialog, the options page)
 * cannot — BiDi neither lists them nor navigates to moz-extension:// — so for those pass
 * `display` (an X display from xvfb.ts) to run Firefox with real windows there, and use them with
 * x-input.ts, as a user's keyboard does.
 *
 *   const firefox = await launchFirefox({ display: xvfb.display });
 *   await firefox.allowPortalOrigin('http://localhost:8765');   // typed into the options page
 *   await firefox.allowPortalOrigin('http://localhost:8765', { presentWindows: true });   // its switch
 *   const page = await firefox.openPage('http://localhost:8765/firefox.html');
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { DEFAULT_PORTAL_ALLOW_LIST } from '@jpki-bridge/shared/origin';
import { ensureBuilt, FIREFOX_EXTENSION_DIR, ROOT } from './checkout.ts';
import { hostEnv, installHostForFirefox, type HostInstall } from './host-install.ts';
import { pressKeys, screenshotDisplay, typeInto, waitForWindow } from './x-input.ts';

export const FIREFOX = '/usr/bin/firefox-esr';
/**
 * The add-on's moz-extension:// host in these sessions. Firefox picks a random one per profile;
 * the `extensions.webextensions.uuids` pref fixes it, so the options page's address is known.
 */
export const FIREFOX_EXTENSION_UUID = '8f6c2e1a-4b7d-4c3e-9a15-6d2b0f7e3c41';

/** The extension's locale message `key` in `lang`, its `{name}` placeholders filled from `subs`. */
export function extensionMessage(lang: 'ja' | 'en', key: string, subs: Record<string, string | number> = {}): string {
  const messages = JSON.parse(readFileSync(join(ROOT, 'extension/public/_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
  return messages[key]!.message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in subs ? String(subs[name]) : whole));
}

/**
 * A title regular expression for an extension window: the locale message `key` in ja or en,
 * whichever Firefox's languages pick (the pages set document.title from it).
 */
export function extensionWindowTitle(key: string): string {
  const escaped = (lang: 'ja' | 'en') => extensionMessage(lang, key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `${escaped('ja')}|${escaped('en')}`;
}

export interface FirefoxSession {
  browser: Browser;
  /** The HOME the browser (and so the host it starts) runs under. */
  home: string;
  /** XDG_CONFIG_HOME of the host this browser starts: `<configHome>/jpki-bridge` holds its installation uuid. */
  configHome: string;
  extensionId: string;
  extensionUrl(path: string): string;
  openPage(url: string): Promise<Page>;
  /**
   * Adds `origin` to the portal allow-list as a user does: opens the options page in a new tab
   * from the address bar, tabs to the site field, types the origin and presses Enter, then closes
   * the tab. Needs `display`. The page's effect is for the caller to check (e.g. the hidden
   * inputs on a page of that origin). A site already listed is not typed again. `presentWindows`:
   * sets the site's "present as Windows" switch (tabbed back to from the field, Space), off for a
   * site the user adds. `screenshot`: a PNG of the screen once done.
   */
  allowPortalOrigin(origin: string, options?: { presentWindows?: boolean; screenshot?: string }): Promise<void>;
  /**
   * The clipboard's text, read by `page` (a web page of this session): how a test reads an
   * extension window, after Ctrl+A, Ctrl+C there as a user would copy it.
   */
  readClipboard(page: Page): Promise<string>;
  /** Closes the browser and removes its HOME. */
  close(): Promise<void>;
}

/**
 * `host`: the native host to install (default `{ card: 'pcsc' }`), or false for none.
 * `display`: run with windows on that X display (`:N`) instead of headless.
 */
export async function launchFirefox(options: { host?: HostInstall | false; display?: string } = {}): Promise<FirefoxSession> {
  ensureBuilt(['firefox-extension', 'page-library']);
  const home = await mkdtemp(join(tmpdir(), 'jpki-bridge-firefox-'));
  const configHome = join(home, '.config');
  const host = options.host === undefined ? { card: 'pcsc' } : options.host;
  if (host) await installHostForFirefox(home, host);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: !options.display,
    env: { ...hostEnv(configHome, { ...process.env, HOME: home }), ...(options.display ? { DISPLAY: options.display } : {}) },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }),
      // navigator.clipboard.readText() without the paste prompt a user would click (readClipboard).
      'dom.events.testing.asyncClipboard': true,
    },
  });
  const extensionId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  // Installing opens the first-run tab (first-run.ts) in front. With windows, wait for it: opened
  // later, it would push a page the test has just opened into the background, whose PIN requests
  // are then refused (front-tab.ts). Headless sessions make no PIN requests.
  if (options.display) await waitForWindow(options.display, extensionWindowTitle('welcomeTitle'));
  const extensionUrl = (path: string) => `moz-extension://${FIREFOX_EXTENSION_UUID}/${path.replace(/^\//, '')}`;
  // What the options page lists above its site field, in its order, with each switch: the preset
  // (on) while nothing is stored, then what this session added (off until switched on).
  const listed = new Map<string, boolean>(DEFAULT_PORTAL_ALLOW_LIST.map((pattern) => [pattern, true]));
  return {
    browser,
    home,
    configHome,
    extensionId,
    extensionUrl,
    async openPage(url) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async allowPortalOrigin(origin, { presentWindows, screenshot } = {}) {
      const { display } = options;
      if (!display) throw new Error('allowPortalOrigin needs a Firefox with windows (launchFirefox({ display }))');
      const window = await waitForWindow(display, 'Mozilla Firefox');
      await pressKeys(display, window, 'ctrl+t');
      await typeInto(display, window, extensionUrl('options.html'));
      await pressKeys(display, window, 'Return');
      await waitForWindow(display, extensionWindowTitle('optionsTitle'));
      // The title is set just before the first render; the list follows a storage read.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // From the top of the page: a "present as Windows" switch and a Remove button per listed
      // site, then the field (which keeps the focus when a site is added).
      await pressKeys(display, window, ...Array<string>(2 * listed.size + 1).fill('Tab'));
      if (!listed.has(origin)) {
        await typeInto(display, window, origin);
        await pressKeys(display, window, 'Return');
        listed.set(origin, false);
        await new Promise((resolve) => setTimeout(resolve, 500)); // the write to storage, the list re-read
      }
      if (presentWindows !== undefined && presentWindows !== listed.get(origin)) {
        const back = 2 * (listed.size - [...listed.keys()].indexOf(origin));
        await pressKeys(display, window, ...Array<string>(back).fill('shift+Tab'), 'space');
        listed.set(origin, presentWindows);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (screenshot) await screenshotDisplay(display, screenshot);
      await pressKeys(display, window, 'ctrl+w');
    },
    readClipboard: (page) => page.evaluate(() => navigator.clipboard.readText()),
    async close() {
      await browser.close().catch(() => {});
      await rm(home, { recursive: true, force: true }).catch(() => {});
    },
  };
}
