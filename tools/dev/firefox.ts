/**
 * firefox-esr over WebDriver BiDi (puppeteer-core) with the Firefox build installed as a
 * temporary add-on (`webExtension.install`) and the native host installed under a HOME of its
 * own. Web pages can be driven over BiDi; extension pages (the PIN dialog) cannot: for PIN flows
 * pass `display` (an X display from xvfb.ts) to run Firefox with real windows there, and type into
 * the dialog with x-input.ts, as a user's keyboard does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ensureBuilt, FIREFOX_EXTENSION_DIR } from './checkout.ts';
import { hostEnv, installHostForFirefox, type HostInstall } from './host-install.ts';

export const FIREFOX = '/usr/bin/firefox-esr';

export interface FirefoxSession {
  browser: Browser;
  /** The HOME the browser (and so the host it starts) runs under. */
  home: string;
  extensionId: string;
  openPage(url: string): Promise<Page>;
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
  const host = options.host === undefined ? { card: 'pcsc' } : options.host;
  if (host) await installHostForFirefox(home, host);
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: !options.display, env: { ...hostEnv(join(home, '.config'), { ...process.env, HOME: home }), ...(options.display ? { DISPLAY: options.display } : {}) } });
  const extensionId = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return {
    browser,
    home,
    extensionId,
    async openPage(url) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await rm(home, { recursive: true, force: true }).catch(() => {});
    },
  };
}
