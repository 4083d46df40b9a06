/**
 * Opens the first-run page (welcome.html: unofficial notice, host check, install steps) once, when
 * the extension is installed — not on updates or browser updates.
 */
import { browser } from '../lib/browser.ts';

export function openWelcomeOnInstall(): void {
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
  });
}
