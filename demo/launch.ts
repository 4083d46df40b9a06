/**
 * `npm run demo` — the demo sites with the virtual card, end to end on one machine:
 *   1. build what is missing; create `.demo/card.json` (a virtual card) if there is none
 *   2. serve the card through pcscd + vpcd when they are installed (starting pcscd if needed),
 *      else let the host open it in process (`--card virtual:FILE`)
 *   3. start the demo server on http://localhost:8765 (or a free port)
 *   4. install the host into `.demo/chromium-profile`, open Chromium there with the extension,
 *      add the demo origin to the portal allow-list, open the demo
 * `npm run demo -- --headless` (and `npm run demo` where there is no display) walks both flows
 * itself (typing the demo PINs into the extension's dialog), writes screenshots to
 * test-output/demo/ (and the README's two to docs/screenshots/ with --update-screenshots, or when
 * they are missing), prints the verdicts and exits 0 when every flow succeeded.
 * Options: --headless, --port N, --in-process (skip PC/SC), --keep-open (headless: do not exit),
 * --update-screenshots.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, ROOT } from '../tools/dev/checkout.ts';
import { launchChromium } from '../tools/dev/chromium.ts';
import { ensurePcscd, pcscInstalled } from '../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../tools/dev/personas.ts';
import { releaseReaders, tryAcquireReaders } from '../tools/dev/reader-lock.ts';
import { serveCard } from '../tools/dev/virtual-card.ts';
import { BUNDLED_JPKI_ROOTS_DIR } from '@jpki-bridge/relying-party';
import { startDemoServer, type DemoServer } from './server.ts';
import { CARD_FILE, ensureCard, HOST_LOG, PROFILE_DIR } from './setup.ts';
import { createDemoVerifier } from './verifier-setup.ts';
import { walkFiling, walkLogin, walkPortalLogin, type Verdict } from './walkthrough.ts';

const DEFAULT_PORT = 8765;

const started = Date.now();
const log = (line: string) => process.stdout.write(`[demo ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      headless: { type: 'boolean', default: false },
      port: { type: 'string' },
      'in-process': { type: 'boolean', default: false },
      'keep-open': { type: 'boolean', default: false },
      'update-screenshots': { type: 'boolean', default: false },
    },
  });
  // Without a display (a server, CI, a container) there is no window to open: walk the demo
  // headless instead, so that `npm run demo` does its job on any machine.
  const noDisplay = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const headless = values.headless === true || noDisplay;
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      // A step that hangs (a browser that will not close) must not keep the demo from ending.
      await Promise.race([step().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    }
    cleanups.length = 0;
    log('stopped');
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));

  if (noDisplay && values.headless !== true) log('no display for a Chromium window: walking the demo headless (as with --headless)');
  try {
    ensureBuilt(['host', 'chromium-extension', 'page-library'], log);
    await ensureCard({ resetPins: headless }, log);
    const card = await connectCard(values['in-process'] === true, cleanups);

    const server = await startServer(values.port ? Number(values.port) : DEFAULT_PORT);
    cleanups.push(() => server.close());
    log(`demo server: ${server.url}  (login: ${server.url}/login, e-Tax: ${server.url}/etax)`);

    const chromium = await launchChromium({
      userDataDir: PROFILE_DIR,
      host: { card, log: HOST_LOG },
      headless,
      // The dialog follows the browser's UI language: Japanese first, as the sites.
      lang: 'ja',
      viewport: headless ? { width: 960, height: 760 } : null,
    });
    const { browser } = chromium;
    cleanups.push(() => chromium.close());
    log(`host installed into ${PROFILE_DIR} (log: ${HOST_LOG})`);
    const list = await chromium.allowPortalOrigin(server.url);
    log(`portal allow-list: ${list.join(', ')}`);

    if (!headless) {
      const [page] = await browser.pages();
      await (page ?? (await browser.newPage())).goto(server.url);
      log(`Chromium is open on the demo. PINs: authentication ${VIRTUAL_PINS.auth}, signing ${VIRTUAL_PINS.sign}. Ctrl+C to stop.`);
      await new Promise<void>((resolve) => browser.once('disconnected', () => resolve()));
      cleanups.pop(); // the browser is gone already
      return 0;
    }

    const screenshotDir = join(ROOT, 'test-output/demo');
    mkdirSync(screenshotDir, { recursive: true });
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    // The README's two screenshots are tracked files: rewritten only on request (or when missing),
    // so that an ordinary run leaves the working tree clean.
    const readmeShots = { login: join(ROOT, 'docs/screenshots/demo-login.png'), filing: join(ROOT, 'docs/screenshots/demo-etax-signed.png') };
    const updateReadme = values['update-screenshots'] === true || !existsSync(readmeShots.login) || !existsSync(readmeShots.filing);
    const walk = { browser, baseUrl: server.url, pins: VIRTUAL_PINS, screenshotDir, ...(updateReadme ? { readmeShots } : {}) };
    const verdicts: Verdict[] = [];
    for (const flow of [walkLogin, walkPortalLogin, walkFiling]) {
      try {
        verdicts.push(await flow(walk));
      } catch (error) {
        verdicts.push({ flow: flow.name, ok: false, detail: (error as Error).message });
      }
    }
    for (const verdict of verdicts) log(`${verdict.ok ? 'OK' : 'NG'}  ${verdict.flow}: ${verdict.detail}`);
    log(`screenshots: ${screenshotDir}`);
    if (values['keep-open']) await new Promise<void>((resolve) => browser.once('disconnected', () => resolve()));
    return verdicts.every((v) => v.ok) ? 0 : 1;
  } finally {
    await cleanup();
  }
}

/**
 * Returns the host's `--card` value: `pcsc:READER` for the vpcd reader the card was served into
 * (that reader only: a real card in another reader never gets the demo's PINs), else `virtual:FILE`.
 */
async function connectCard(inProcess: boolean, cleanups: (() => Promise<void>)[]): Promise<string> {
  if (!inProcess && pcscInstalled()) {
    try {
      // The virtual readers are shared with test runs (a cross-process lock): busy → in process.
      if (!(await tryAcquireReaders())) throw new Error('the virtual readers are in use by another process');
      cleanups.push(async () => releaseReaders());
      const pcscd = await ensurePcscd();
      cleanups.push(() => pcscd.stop());
      const served = await serveCard({ stateFile: CARD_FILE, port: 35963 });
      cleanups.push(() => served.stop());
      log(`virtual card inserted in "${served.readerName}" (pcscd${pcscd.startedByUs ? ', started by the demo' : ''})`);
      return `pcsc:${served.readerName}`;
    } catch (error) {
      log(`PC/SC path unavailable (${(error as Error).message.split('\n')[0]}); the host opens the card in process`);
    }
  }
  return `virtual:${CARD_FILE}`;
}

async function startServer(port: number): Promise<DemoServer> {
  const options = {
    log,
    // Trusts the card's development CA, and the real J-LIS roots beside the checkout when present.
    createVerifier: async (origin: string) => (await createDemoVerifier({ origin, cardStateFile: CARD_FILE, realRootsDir: BUNDLED_JPKI_ROOTS_DIR })).verifier,
  };
  try {
    return await startDemoServer({ ...options, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    log(`port ${port} is busy; using a free one`);
    return startDemoServer({ ...options, port: 0 });
  }
}

// Exit explicitly: pcsclite's native watcher threads (used to see the card go in and out) would
// otherwise keep the process alive after everything is closed.
process.exit(await main());
