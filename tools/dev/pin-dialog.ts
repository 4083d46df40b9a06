/**
 * The extension's PIN dialog window, driven the way a user does: wait for it, type the PIN,
 * submit — or cancel. Chromium only (Firefox's extension pages cannot be driven over BiDi).
 *
 *   const pending = page.evaluate(() => window.run());   // the page's call, not awaited yet
 *   const dialog = await waitForDialog(browser, { operation: pending });
 *   await enterPin(dialog, '1234');                      // or: await cancel(dialog)
 *   await pending;
 */
import type { Browser, Page, Target } from 'puppeteer-core';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';

const DIALOG_URL = `chrome-extension://${CHROMIUM_EXTENSION_ID}/dialog.html`;
export const isDialog = (target: Target) => target.type() === 'page' && target.url().startsWith(DIALOG_URL);

/** The dialog windows already handed out, per browser: each operation's window has its own URL. */
const handedOut = new WeakMap<Browser, Set<string>>();

/**
 * The next PIN dialog window of `browser` (one not returned before), once it shows what the card
 * said (tries left, or why it cannot serve). The window opens before the card has answered; pass
 * `checked: false` to have it as soon as it shows its first state (a PIN may be typed then).
 * Pass the page's pending call as `operation` to fail at once, with its result, when it ends
 * without a dialog.
 */
export async function waitForDialog(browser: Browser, options: { timeoutMs?: number; operation?: Promise<unknown>; checked?: boolean } = {}): Promise<Page> {
  const timeout = options.timeoutMs ?? 15_000;
  if (options.operation) {
    const operation = options.operation;
    const ended = operation.then((result) => {
      throw new Error(`the operation ended without a PIN dialog: ${JSON.stringify(result)}`);
    });
    ended.catch(() => {});
    // A window that closes (or stays checking) gives puppeteer's bare error; the page's answer,
    // when it comes, says why — give it a moment to win the race instead.
    const dialog = waitForDialog(browser, { timeoutMs: timeout, checked: options.checked }).catch(async (error: unknown) => {
      await Promise.race([operation.catch(() => {}), sleep(ANSWER_GRACE_MS)]);
      throw error;
    });
    return Promise.race([dialog, ended]);
  }
  const seen = handedOut.get(browser) ?? new Set<string>();
  handedOut.set(browser, seen);
  const target = await browser.waitForTarget((t) => isDialog(t) && !seen.has(t.url()), { timeout });
  seen.add(target.url());
  const dialog = await target.asPage();
  const shown = options.checked === false ? '#origin' : 'main:not([data-phase=checking])';
  let phase = 'nothing';
  const watch = setInterval(() => void phaseOf(dialog).then((now) => (phase = now ?? phase)), 100);
  try {
    await dialog.waitForSelector(shown, { timeout });
  } catch (error) {
    throw new Error(`the PIN dialog ${dialog.isClosed() ? 'closed' : 'stayed'} before it showed ${shown} (last seen: ${phase}): ${(error as Error).message}`);
  } finally {
    clearInterval(watch);
  }
  return dialog;
}

/** How long a failed wait gives the page's answer to explain it. */
const ANSWER_GRACE_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The dialog's phase as it shows it (`data-phase`), or null while it shows none or is gone. */
function phaseOf(dialog: Page): Promise<string | null> {
  return dialog.evaluate(() => document.querySelector('main')?.getAttribute('data-phase') ?? null).catch(() => null);
}

/**
 * Types `pin` into the dialog and submits it. `confirmLastTry` ticks the last-try box first;
 * `screenshot` saves the dialog, PIN typed (shown masked), just before the submit.
 */
export async function enterPin(dialog: Page, pin: string, options: { confirmLastTry?: boolean; screenshot?: string } = {}): Promise<void> {
  await dialog.waitForSelector('#pin:not([disabled])');
  await dialog.focus('#pin');
  await dialog.keyboard.type(pin);
  if (options.confirmLastTry) await dialog.click('#confirm-last-try');
  if (options.screenshot) await dialog.screenshot({ path: options.screenshot });
  await dialog.waitForSelector('#submit:not([disabled])', { timeout: 5_000 });
  // A right PIN closes the window at once: it may be gone before the click's mouse-up returns.
  await clickClosing(dialog, '#submit');
}

/**
 * Clicks the dialog's Cancel button: the page's call ends with ERR_JPKI_USER_CANCELLED. A dialog
 * that explains a failure or a lock has only Close: that is said, with what it shows.
 */
export async function cancel(dialog: Page): Promise<void> {
  const shows = await dialog.$eval('main', (main) => ({
    phase: main.getAttribute('data-phase'),
    error: main.querySelector('[data-testid=error]')?.textContent ?? '',
  }));
  if (shows.phase === 'failed' || shows.phase === 'locked') throw new Error(`the PIN dialog has no Cancel: it shows ${shows.phase} (${shows.error})`);
  return clickClosing(dialog, '#cancel');
}

/** Clicks a button that closes the dialog window: the window may be gone before the click returns. */
export async function clickClosing(dialog: Page, selector: string): Promise<void> {
  await dialog.click(selector).catch((error: Error) => {
    if (!/Target closed|Session closed|detached/i.test(error.message)) throw error;
  });
}

/** Resolves once no PIN dialog is open (the background closes it when an operation ends). */
export async function dialogClosed(browser: Browser, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (browser.targets().some(isDialog)) {
    if (Date.now() > deadline) throw new Error('the PIN dialog stayed open');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
