/**
 * The extension's PIN dialog window in a Firefox with windows (launchFirefox({ display })): found
 * by its title on the X display once it has rendered, so that what xdotool types next lands in the
 * PIN field. Shared by the Firefox end-to-end flows and the Debian package's Firefox login.
 */
import { extensionWindowTitle } from './firefox.ts';
import { waitForWindow } from './x-input.ts';

/** The dialog's title in either language, as a regular expression for findWindow/waitForWindow. */
export const PIN_DIALOG_TITLE = extensionWindowTitle('dialogTitle');

/** The id of the PIN dialog window once it is up and its PIN field has the focus. */
export async function waitForPinDialog(display: string): Promise<string> {
  const dialog = await waitForWindow(display, PIN_DIALOG_TITLE);
  // The title is set before the first render; the field takes the focus when it renders.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return dialog;
}
