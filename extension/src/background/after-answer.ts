/**
 * Runs `fn` once the page's answer has gone out. An operation's result travels back to
 * `runtime.onMessage`'s reply in microtasks (the action, the router's Outcome, the polyfill's
 * sendResponse), so the next task comes after it. Closing the PIN window and ending the host
 * keep the browser busy (a window torn down, a child process reaped): done first, they held the
 * page's answer back by tens of milliseconds (browser bench, submit → token).
 */
export function afterAnswer(fn: () => void): void {
  setTimeout(fn, 0);
}
