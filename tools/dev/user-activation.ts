/**
 * The page's user activation, as a test needs to control it. The extension asks for a PIN only
 * right after the user acted on the page (extension/src/background/user-activation.ts):
 *
 *   - puppeteer's `page.evaluate` runs as a user gesture (puppeteer-core passes `userGesture: true`
 *     to CDP), and `page.click` is a real click: both activate the page, as a user's click does;
 *   - `evaluateWithoutActivation` runs the call the way a script on its own would — a timer, a
 *     background tab — with no gesture, for the tests that prove such a call is refused.
 *
 *   const out = await evaluateWithoutActivation(page, (n) => (window as any).run(n), nonce);
 *
 * Call it before anything activates that page: sticky activation, once given, lasts as long as the
 * document.
 */
import type { Page } from 'puppeteer-core';

export async function evaluateWithoutActivation<A extends unknown[], R>(page: Page, fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
  const session = await page.createCDPSession();
  try {
    const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
      expression: `(${fn.toString()})(...${JSON.stringify(args)})`,
      awaitPromise: true,
      returnByValue: true,
      userGesture: false,
    });
    if (exceptionDetails) throw new Error(`the page threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as R;
  } finally {
    await session.detach().catch(() => {});
  }
}

/** The page's own view of its activation (read without giving it any). */
export function pageActivation(page: Page): Promise<{ isActive: boolean; hasBeenActive: boolean }> {
  return evaluateWithoutActivation(page, () => ({ isActive: navigator.userActivation.isActive, hasBeenActive: navigator.userActivation.hasBeenActive }));
}
