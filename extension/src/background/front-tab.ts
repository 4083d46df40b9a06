/**
 * A request that may open the PIN dialog must come from the tab in front: the active tab of the
 * focused browser window. The user's activation alone (user-activation.ts) lasts seconds, long
 * enough for a page in a background tab to fire right after its last click and take the dialog
 * the user expects from the site they are looking at. Checked when the request arrives and again
 * right before the dialog window opens (the user may have switched tabs while the request waited
 * for the card or the operation lock).
 *
 * While one of our own PIN dialog windows has the focus (a site asking again right after the
 * previous dialog), the page's window counts as in front if its tab is the active one: the focus
 * returns to it when that dialog closes. The rule is applied by requireFrontTab (user-activation.ts).
 */
import { browser } from '../lib/browser.ts';
import { isDialogWindow } from './dialog-window.ts';

export async function isFrontTab(tabId: number): Promise<boolean> {
  // Asked together: the check stands on the page's call → dialog path, twice per PIN request.
  const [tab, windows] = await Promise.all([browser.tabs.get(tabId).catch(() => undefined), browser.windows.getAll()]);
  if (!tab?.active || tab.windowId === undefined) return false;
  const focused = windows.find((window) => window.focused);
  if (!focused || focused.id === undefined) return false;
  return focused.id === tab.windowId || isDialogWindow(focused.id);
}
