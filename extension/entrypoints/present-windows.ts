/**
 * The page-world script that presents Windows as the OS: wiring only. Unlisted — not in the
 * manifest — because the background registers it at run time for exactly the allow-listed origins
 * whose switch is on (src/background/os-presentation.ts).
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { presentWindows } from '../src/main-world/present-windows.ts';

export default defineUnlistedScript({
  // No `var present_windows = …` left on the page's window: nothing of ours for a page to see.
  globalName: false,
  main: () => presentWindows(navigator),
});
