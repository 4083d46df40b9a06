/**
 * Debian's Chromium with the built extension and a native host manifest, in a throw-away
 * user-data-dir, for end-to-end tests (the extension's, the demo's) and the browser bench.
 *
 *   const server = await serveStatic({ root: 'test/e2e/fixtures' });     // http://localhost:PORT
 *   const session = await launchBrowser({ lang: 'ja', host: { card: 'pcsc', log: '/tmp/h.log' } });
 *   const page = await session.openPage(`${server.url}/authenticate.html`);
 *   const result = page.evaluate(() => window.run());                    // not awaited yet
 *   const dialog = await session.waitForDialog();                         // the PIN window
 *   await session.enterPin(dialog, '1234');
 *   await result; await session.close(); await server.close();
 *
 * The host is installed the way Chromium looks for per-user hosts:
 * `<user-data-dir>/NativeMessagingHosts/jpki_bridge.json`, pointing at a launcher script that
 * runs `node native-host/bin/jpki-bridge.mjs host --card …` (what `jpki-bridge install` writes).
 * `host: false` leaves it out: the "host not installed" case.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { NATIVE_HOST_NAME } from '@jpki-bridge/shared/constants';
import { CHROMIUM, chromiumArgs } from '../../relying-party/demo/browser.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export { CHROMIUM };
export const EXTENSION_DIR = join(ROOT, 'extension/.output/chrome-mv3');
export const FIREFOX_EXTENSION_DIR = join(ROOT, 'extension/.output/firefox-mv2');
export const PAGE_LIBRARY = join(ROOT, 'relying-party/dist/jpki-bridge.js');
const HOST_BIN = join(ROOT, 'native-host/bin/jpki-bridge.mjs');

export interface HostInstall {
  /** `pcsc` (default) or `virtual:FILE`. */
  card?: string;
  /** The host's log file (`--log`). */
  log?: string;
}

export interface LaunchOptions {
  /** UI language: `--lang` and LANGUAGE (the dialog's primary language follows it). */
  lang?: 'ja' | 'en';
  /** The native host to install, or false for none. Default `{ card: 'pcsc' }`. */
  host?: HostInstall | false;
  /** Default true (new headless, which runs extensions). */
  headless?: boolean;
  /** Window size for screenshots of pages opened as tabs. */
  viewport?: { width: number; height: number };
}

export interface BrowserSession {
  browser: Browser;
  userDataDir: string;
  extensionId: string;
  extensionUrl(path: string): string;
  openPage(url: string): Promise<Page>;
  /**
   * The PIN dialog window's page, once it has rendered its first state. Pass the pending page
   * call as `operation` to fail at once (with its result) when it ends without a dialog.
   */
  waitForDialog(timeoutMs?: number, operation?: Promise<unknown>): Promise<Page>;
  /** Types a PIN into the dialog (optionally ticking the last-try box) and submits. */
  enterPin(dialog: Page, pin: string, options?: { confirmLastTry?: boolean }): Promise<void>;
  /** Replaces the portal allow-list in the extension's storage. */
  setAllowList(patterns: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Builds what the browser needs if it is missing (extension, page library). */
export function ensureExtensionBuilt(): void {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) execFileSync('npm', ['run', 'build:extension'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(PAGE_LIBRARY)) execFileSync('npm', ['run', 'build:page'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Installs the host into `userDataDir` with the product's own `jpki-bridge install --browser
 * chromium --user-data-dir …`, so every end-to-end test also proves the installer's manifest and
 * launcher. Returns the manifest's path.
 */
export async function installHost(userDataDir: string, host: HostInstall): Promise<string> {
  const args = ['install', '--browser', 'chromium', '--user-data-dir', userDataDir, '--card', host.card ?? 'pcsc'];
  if (host.log) args.push('--log', host.log);
  execFileSync(process.execPath, [HOST_BIN, ...args], { cwd: ROOT, stdio: 'pipe' });
  return join(userDataDir, 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`);
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  ensureExtensionBuilt();
  const lang = options.lang ?? 'ja';
  const userDataDir = await mkdtemp(join(tmpdir(), 'jpki-bridge-chromium-'));
  const host = options.host === undefined ? { card: 'pcsc' } : options.host;
  if (host) await installHost(userDataDir, host);

  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    userDataDir,
    defaultViewport: options.viewport ?? { width: 900, height: 700 },
    env: { ...process.env, LANGUAGE: lang, LANG: lang === 'ja' ? 'ja_JP.UTF-8' : 'en_US.UTF-8' },
    args: chromiumArgs(EXTENSION_DIR, lang),
  });
  // The service worker's start proves the extension loaded (and its id is the pinned one).
  const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(CHROMIUM_EXTENSION_ID), { timeout: 15_000 });
  const extensionId = new URL(worker.url()).host;
  const extensionUrl = (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;

  // Dialog windows already handed out: waitForDialog() returns a new one (each has its own op id).
  const seenDialogs = new Set<string>();
  const session: BrowserSession = {
    browser,
    userDataDir,
    extensionId,
    extensionUrl,
    async openPage(url) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    async waitForDialog(timeoutMs = 15_000, operation) {
      if (operation) {
        const ended = operation.then((result) => {
          throw new Error(`the operation ended without a PIN dialog: ${JSON.stringify(result)}`);
        });
        ended.catch(() => {});
        return Promise.race([session.waitForDialog(timeoutMs), ended]);
      }
      const target = await browser.waitForTarget((t) => t.url().includes('/dialog.html') && !seenDialogs.has(t.url()), { timeout: timeoutMs });
      seenDialogs.add(target.url());
      const page = await target.asPage();
      await page.waitForSelector('#origin', { timeout: timeoutMs });
      return page;
    },
    async enterPin(dialog, pin, opts = {}) {
      await dialog.waitForSelector('#pin:not([disabled])');
      await dialog.focus('#pin');
      await dialog.keyboard.type(pin);
      if (opts.confirmLastTry) await dialog.click('#confirm-last-try');
      await dialog.waitForSelector('#submit:not([disabled])', { timeout: 5_000 });
      await dialog.click('#submit');
    },
    async setAllowList(patterns) {
      const page = await browser.newPage();
      await page.goto(extensionUrl('options.html'));
      await page.evaluate(async (list) => {
        await (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ portalAllowList: list });
      }, patterns);
      await page.close();
    },
    async close() {
      await browser.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    },
  };
  return session;
}

export interface StaticServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css',
  '.json': 'application/json',
};

/**
 * A localhost http server for fixture pages: files under `root`, plus `/jpki-bridge.js` (the
 * built page library) and any `extra` routes. `http://localhost:PORT` is a secure context and
 * a served origin, and the content script matches it.
 */
export async function serveStatic(options: {
  root: string;
  extra?: Record<string, string | (() => string)>;
  port?: number;
  /** Listen address; the URL says `localhost` for 127.0.0.1, else the address itself. */
  host?: string;
}): Promise<StaticServer> {
  ensureExtensionBuilt();
  const root = normalize(options.root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const extra = options.extra?.[path];
    try {
      let body: string | Buffer;
      let type = TYPES[extname(path)] ?? 'application/octet-stream';
      if (extra !== undefined) body = typeof extra === 'function' ? extra() : extra;
      else if (path === '/jpki-bridge.js' || path === '/jpki-bridge.js.map') body = await readFile(PAGE_LIBRARY + (path.endsWith('.map') ? '.map' : ''));
      else {
        const file = normalize(join(root, path === '/' ? 'index.html' : path));
        if (!file.startsWith(root)) throw new Error('outside root');
        body = await readFile(file);
      }
      if (extra !== undefined && !extname(path)) type = TYPES['.html']!;
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the browser keeps connections alive; do not wait for it
      }),
  };
}

export const FIREFOX = '/usr/bin/firefox-esr';

export interface FirefoxSession {
  browser: Browser;
  home: string;
  extensionId: string;
  openPage(url: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * firefox-esr over WebDriver BiDi with the Firefox build installed as a temporary add-on
 * (`webExtension.install`). Firefox looks for per-user native hosts in
 * `~/.mozilla/native-messaging-hosts/`, so HOME points at a temp dir holding that manifest
 * (`allowed_extensions: [GECKO_EXTENSION_ID]`). Extension pages (the PIN dialog) cannot be
 * driven over BiDi; web pages can.
 */
export async function launchFirefox(options: { host?: HostInstall | false } = {}): Promise<FirefoxSession> {
  ensureExtensionBuilt();
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) execFileSync('npm', ['run', 'build:extension'], { cwd: ROOT, stdio: 'inherit' });
  const home = await mkdtemp(join(tmpdir(), 'jpki-bridge-firefox-'));
  const host = options.host === undefined ? { card: 'pcsc' } : options.host;
  if (host) {
    // The product's installer, for Firefox's per-user directory under this HOME.
    const args = ['install', '--browser', 'firefox', '--user', '--card', host.card ?? 'pcsc', ...(host.log ? ['--log', host.log] : [])];
    execFileSync(process.execPath, [HOST_BIN, ...args], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, HOME: home } });
  }
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, env: { ...process.env, HOME: home } });
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
