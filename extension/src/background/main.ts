/** The background's wiring: real browser adapters into the router. Called from entrypoints/background.ts. */
import { type Runtime, browser } from '../lib/browser.ts';
import { VERSION } from '@jpki-bridge/shared/version';
import type { BackgroundContext } from './context.ts';
import { openDialogWindow, listenForDialogs } from './dialog-window.ts';
import { connectBrowserNative } from './native/browser-channel.ts';
import { HostVersionCache } from './host-version-cache.ts';
import { OperationLock } from './operation-lock.ts';
import { readAllowList } from './allow-list.ts';
import { route } from './router.ts';
import { watchTab } from './tab-watch.ts';

export function startBackground(): void {
  const ctx: BackgroundContext = {
    connect: connectBrowserNative,
    openPrompt: openDialogWindow,
    lock: new OperationLock(),
    allowList: readAllowList,
    extensionVersion: VERSION,
    hostVersionCache: new HostVersionCache(),
    watchTab,
  };
  const self = { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') };
  listenForDialogs();
  // The polyfill lets a listener answer with a promise; `undefined` leaves the message to others.
  browser.runtime.onMessage.addListener(
    (message: unknown, sender: Runtime.MessageSender) => route(ctx, self, message, sender) as Promise<unknown>,
  );
}
