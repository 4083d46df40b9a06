/**
 * A request that may open the PIN dialog needs the user's activation in the page: without it any
 * page, even one in a background tab, could bring up the focused dialog again and again. The
 * content script — whose view of `navigator.userActivation` the page cannot fake — reports it as
 * the message's `active` (messages.ts):
 *   - `jpki:*`: transient activation (`isActive`: a click or key press within the last few
 *     seconds, 5 s in Chromium). A site calls the page library from its click handler, after at
 *     most fetching a nonce, well inside that window.
 *   - portal `launchApp`: sticky activation (`hasBeenActive`: the user has acted on this page since
 *     it loaded). Real portal pages dispatch it after their own server round trips, which may
 *     outlast the transient window; the surface is bounded instead by the allow-list of exact
 *     origins and by the rate limit (dialog-rate-limit.ts).
 * The same requests must also come from the tab in front (front-tab.ts), checked on arrival and
 * again right before the dialog opens.
 * Exempt are only the verbs whose operation-table row has no PIN (status, portal close); anything
 * else — including a portal detail that names no mode — needs activation, so a request the
 * handlers might read differently can never slip past.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { OPERATION_ROWS, type PageAction, type PortalOperation } from '@jpki-bridge/shared/operations';

export function pageActionNeedsActivation(action: PageAction): boolean {
  return Object.values(OPERATION_ROWS).some((row) => row.page === action && row.pin !== undefined);
}

/** `operation`: what the detail's `mode` names (actions/portal.ts, portalOperationOf); undefined when none. */
export function portalOperationNeedsActivation(operation: PortalOperation | undefined): boolean {
  return operation === undefined || OPERATION_ROWS[operation].pin !== undefined;
}

export function requireActivation(needed: boolean, active: unknown): void {
  if (needed && active !== true) throw new JpkiError('ERR_JPKI_USER_ACTIVATION_REQUIRED');
}

/** Throws ERR_JPKI_TAB_NOT_IN_FRONT unless `tabId` is in front (no tab: not a page, never in front). */
export async function requireFrontTab(isInFront: ((tabId: number) => Promise<boolean>) | undefined, tabId: number | undefined): Promise<void> {
  if (!isInFront) return; // a context without the check (unit tests of other rules)
  if (tabId === undefined || !(await isInFront(tabId))) throw new JpkiError('ERR_JPKI_TAB_NOT_IN_FRONT');
}
