/**
 * The demo's flows driven like a user: click, type the PIN into the extension's dialog, read the
 * server's verdict from the page. Used by `npm run demo -- --headless` and test/e2e/demo.test.ts.
 */
import type { Browser, Page } from 'puppeteer-core';
import { dialogClosed, enterPin } from './browser.ts';

export interface Verdict {
  flow: string;
  ok: boolean;
  detail: string;
  screenshot?: string;
}

export interface WalkOptions {
  browser: Browser;
  baseUrl: string;
  pins: { auth: string; sign: string };
  /** Where to write screenshots; `null` for none. */
  screenshotDir: string | null;
  /** Extra copies for the README (login and signed filing). */
  readmeShots?: { login: string; filing: string };
}

const shot = (dir: string | null, name: string) => (dir ? `${dir}/${name}` : undefined);

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

/** `jpki:authenticate` → POST token → /welcome. */
export async function walkLogin(options: WalkOptions): Promise<Verdict> {
  const page = await openPage(options.browser, `${options.baseUrl}/login`);
  try {
    await page.click('#login-jpki');
    await enterPin(options.browser, options.pins.auth, { screenshot: shot(options.screenshotDir, 'pin-dialog-auth.png') });
    return await welcome(page, 'login (jpki:authenticate)', options, 'login-jpki.png', options.readmeShots?.login);
  } finally {
    await dialogClosed(options.browser).catch(() => {});
    await page.close();
  }
}

/** `launchApp` mode 01 → `recvMsg` → POST signature+certificate → /welcome. */
export async function walkPortalLogin(options: WalkOptions): Promise<Verdict> {
  const page = await openPage(options.browser, `${options.baseUrl}/login`);
  try {
    // The content script marks allow-listed pages with the hidden inputs of DESIGN §3.2.
    await page.waitForFunction(() => (document.getElementById('extension-is-installed') as HTMLInputElement).value !== '', {
      timeout: 10_000,
    });
    await page.click('#login-portal');
    await enterPin(options.browser, options.pins.auth);
    return await welcome(page, 'login (launchApp mode 01)', options, 'login-portal.png');
  } finally {
    await dialogClosed(options.browser).catch(() => {});
    await page.close();
  }
}

async function welcome(page: Page, flow: string, options: WalkOptions, name: string, readmeCopy?: string): Promise<Verdict> {
  const outcome = await Promise.race([
    page.waitForSelector('[data-testid="welcome"]', { timeout: 60_000 }).then(() => 'ok' as const),
    page
      .waitForSelector('#status.ng', { timeout: 60_000 })
      .then(() => 'ng' as const)
      .catch(() => new Promise<never>(() => {})),
  ]);
  const path = shot(options.screenshotDir, name);
  if (path) await page.screenshot({ path });
  if (readmeCopy && outcome === 'ok') await page.screenshot({ path: readmeCopy });
  if (outcome === 'ng') {
    return { flow, ok: false, detail: await page.$eval('#status', (e) => e.textContent ?? ''), screenshot: path };
  }
  const subject = await page.$eval('[data-testid="subject"]', (e) => e.textContent ?? '');
  return { flow, ok: true, detail: `server verified the token; subject ${subject}`, screenshot: path };
}

/** Form → XML → `jpki:sign([hash])` → XMLDSig verified → signer's name and address shown. */
export async function walkFiling(options: WalkOptions): Promise<Verdict> {
  const flow = 'e-Tax filing (jpki:sign + XMLDSig)';
  const page = await openPage(options.browser, `${options.baseUrl}/etax`);
  try {
    await page.click('#sign');
    await enterPin(options.browser, options.pins.sign, { screenshot: shot(options.screenshotDir, 'pin-dialog-sign.png') });
    const outcome = await Promise.race([
      page.waitForSelector('[data-testid="result"]:not([hidden])', { timeout: 60_000 }).then(() => 'ok' as const),
      page
        .waitForSelector('#status.ng', { timeout: 60_000 })
        .then(() => 'ng' as const)
        .catch(() => new Promise<never>(() => {})),
    ]);
    const path = shot(options.screenshotDir, 'etax-signed.png');
    if (path) await page.screenshot({ path, fullPage: true });
    if (outcome === 'ng') return { flow, ok: false, detail: await page.$eval('#status', (e) => e.textContent ?? ''), screenshot: path };
    if (options.readmeShots) {
      const result = await page.$('#result');
      await page.$eval('#result', (e) => e.scrollIntoView());
      await (result ?? page).screenshot({ path: options.readmeShots.filing });
    }
    const name = await page.$eval('[data-testid="holder-name"]', (e) => e.textContent ?? '');
    const address = await page.$eval('[data-testid="holder-address"]', (e) => e.textContent ?? '');
    return { flow, ok: true, detail: `signature and XMLDSig verified; signer ${name}, ${address}`, screenshot: path };
  } finally {
    await dialogClosed(options.browser).catch(() => {});
    await page.close();
  }
}
