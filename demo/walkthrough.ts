/**
 * The demo's flows driven like a user: click, type the PIN into the extension's dialog, read the
 * server's verdict from the page. Used by `npm run demo -- --headless` and test/e2e/demo.test.ts.
 */
import type { Browser, Page } from 'puppeteer-core';
import { dialogClosed, enterPin, waitForDialog } from '../tools/dev/pin-dialog.ts';

export interface Verdict {
  flow: string;
  ok: boolean;
  detail: string;
  screenshot?: string;
}

export interface WalkOptions {
  browser: Browser;
  baseUrl: string;
  pins: { auth: string; sign: string; text: string };
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

/** Types `pin` into the next PIN dialog and submits it, as the user would. */
async function answerDialog(browser: Browser, pin: string, screenshot?: string): Promise<void> {
  await enterPin(await waitForDialog(browser, { timeoutMs: 30_000 }), pin, { screenshot });
}

/** Waits for the page's own verdict: `okSelector` shown, or the error status (`#status.ng`). */
function outcome(page: Page, okSelector: string): Promise<'ok' | 'ng'> {
  return outcomeOf(page, okSelector, '#status.ng');
}

function outcomeOf(page: Page, okSelector: string, ngSelector: string): Promise<'ok' | 'ng'> {
  return Promise.race([
    page.waitForSelector(okSelector, { timeout: 60_000 }).then(() => 'ok' as const),
    page
      .waitForSelector(ngSelector, { timeout: 60_000 })
      .then(() => 'ng' as const)
      .catch(() => new Promise<never>(() => {})),
  ]);
}

/** `jpki:authenticate` → POST token → /welcome. */
export async function walkLogin(options: WalkOptions): Promise<Verdict> {
  const page = await openPage(options.browser, `${options.baseUrl}/login`);
  try {
    await page.click('#login-jpki');
    await answerDialog(options.browser, options.pins.auth, shot(options.screenshotDir, 'pin-dialog-auth.png'));
    return await welcome(page, 'login (jpki:authenticate)', options, 'login-jpki.png', options.readmeShots?.login);
  } finally {
    await dialogClosed(options.browser).catch(() => {});
    await page.close();
  }
}

/** `launchApp` mode 01 → `recvMsg` → POST signature, certificate, uuid, combination code → /welcome (which shows the last two). */
export async function walkPortalLogin(options: WalkOptions): Promise<Verdict> {
  const page = await openPage(options.browser, `${options.baseUrl}/login`);
  try {
    // The content script marks allow-listed pages with the portal's hidden inputs.
    await page.waitForFunction(() => (document.getElementById('extension-is-installed') as HTMLInputElement).value !== '', {
      timeout: 10_000,
    });
    await page.click('#login-portal');
    await answerDialog(options.browser, options.pins.auth);
    const verdict = await welcome(page, 'login (launchApp mode 01)', options, 'login-portal.png');
    if (!verdict.ok) return verdict;
    const uuid = await page.$eval('[data-testid="installation-uuid"]', (e) => e.textContent ?? '');
    const code = await page.$eval('[data-testid="combination-code"]', (e) => e.textContent ?? '');
    const shown = /^[0-9a-f]{32}$/.test(uuid) && /^[0-9a-f]{64}$/.test(code);
    return { ...verdict, ok: shown, detail: `${verdict.detail}; uuid ${uuid}, combination code ${code.slice(0, 16)}…` };
  } finally {
    await dialogClosed(options.browser).catch(() => {});
    await page.close();
  }
}

async function welcome(page: Page, flow: string, options: WalkOptions, name: string, readmeCopy?: string): Promise<Verdict> {
  const verdict = await outcome(page, '[data-testid="welcome"]');
  const path = shot(options.screenshotDir, name);
  if (path) await page.screenshot({ path });
  if (readmeCopy && verdict === 'ok') await page.screenshot({ path: readmeCopy });
  if (verdict === 'ng') {
    return { flow, ok: false, detail: await page.$eval('#status', (e) => e.textContent ?? ''), screenshot: path };
  }
  const subject = await page.$eval('[data-testid="subject"]', (e) => e.textContent ?? '');
  return { flow, ok: true, detail: `server verified the token; subject ${subject}`, screenshot: path };
}

/**
 * The filer's name and address from the card face (`launchApp` mode 04, text PIN) → form → XML →
 * `jpki:sign([hash])` → XMLDSig verified → the filer in the return and the signer's name and address shown.
 */
export async function walkFiling(options: WalkOptions): Promise<Verdict> {
  const flow = 'e-Tax filing (launchApp mode 04 + jpki:sign + XMLDSig)';
  const page = await openPage(options.browser, `${options.baseUrl}/etax`);
  try {
    await page.waitForFunction(() => (document.getElementById('app-is-installed') as HTMLInputElement).value !== '', { timeout: 10_000 });
    await page.click('#fill-from-card');
    await answerDialog(options.browser, options.pins.text, shot(options.screenshotDir, 'pin-dialog-text.png'));
    const filled = await outcomeOf(page, '#filer-status.ok', '#filer-status.ng');
    if (filled === 'ng') return { flow, ok: false, detail: await page.$eval('#filer-status', (e) => e.textContent ?? '') };
    await dialogClosed(options.browser);
    await page.click('#sign');
    await answerDialog(options.browser, options.pins.sign, shot(options.screenshotDir, 'pin-dialog-sign.png'));
    const verdict = await outcome(page, '[data-testid="result"]:not([hidden])');
    const path = shot(options.screenshotDir, 'etax-signed.png');
    if (path) await page.screenshot({ path, fullPage: true });
    if (verdict === 'ng') return { flow, ok: false, detail: await page.$eval('#status', (e) => e.textContent ?? ''), screenshot: path };
    if (options.readmeShots) {
      const result = await page.$('#result');
      await page.$eval('#result', (e) => e.scrollIntoView());
      await (result ?? page).screenshot({ path: options.readmeShots.filing });
    }
    const name = await page.$eval('[data-testid="holder-name"]', (e) => e.textContent ?? '');
    const address = await page.$eval('[data-testid="holder-address"]', (e) => e.textContent ?? '');
    const filer = await page.$eval('[data-testid="filer-in-return"]', (e) => e.textContent ?? '');
    // The card face and the signing certificate describe the same person.
    const same = filer === `${name} / ${address}`;
    return { flow, ok: same, detail: `signature and XMLDSig verified; filer (card face) ${filer}; signer ${name}, ${address}`, screenshot: path };
  } finally {
    await dialogClosed(options.browser).catch(() => {});
    await page.close();
  }
}
