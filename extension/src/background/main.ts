/** The background's wiring: real browser adapters into the router. Called from entrypoints/background.ts. */
import { type Runtime, browser } from '../lib/browser.ts';
import { VERSION } from '@jpki-bridge/shared/version';
import type { BackgroundContext } from './context.ts';
import { openDialogWindow, listenForDialogs } from './dialog-window.ts';
import { connectBrowserNative } from './native/browser-channel.ts';
import { HostVersionCache } from './host-version-cache.ts';
import { OperationLock } from './operation-lock.ts';
import { readAllowList, readPortalSites } from '../settings/allow-list.ts';
import { isBlocked } from '../settings/block-list.ts';
import { ALLOW_LIST_KEY, PRESENT_WINDOWS_KEY } from '../settings/storage-keys.ts';
import { DIALOG_LIMIT, DialogRateLimit } from './dialog-rate-limit.ts';
import { type OsPresentationApi, keepOsPresentation } from './os-presentation.ts';
import { route } from './router.ts';
import { watchTab } from './tab-watch.ts';
import { isFrontTab } from './front-tab.ts';
import { logUnexpectedError } from './unexpected-error.ts';
import { openWelcomeOnInstall } from './first-run.ts';

export function startBackground(): void {
  const ctx: BackgroundContext = {
    connect: connectBrowserNative,
    openPrompt: openDialogWindow,
    lock: new OperationLock(),
    allowList: readAllowList,
    isBlocked,
    // Made at wake-up so that its one storage read is in before a request needs it.
    dialogLimit: new DialogRateLimit(DIALOG_LIMIT, browser.storage.session),
    extensionVersion: VERSION,
    hostVersionCache: new HostVersionCache(),
    watchTab,
    isFrontTab,
  };
  const self = { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') };
  listenForDialogs();
  openWelcomeOnInstall();
  void keepOsPresentation(osPresentationApi(), readPortalSites, (listener) =>
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'local' && (ALLOW_LIST_KEY in changes || PRESENT_WINDOWS_KEY in changes)) listener();
    }),
  );
  // The polyfill lets a listener answer with a promise; `undefined` leaves the message to others.
  // A failure before the router's answer (a guard's storage read) is logged as the router's own are.
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    route(ctx, self, message, sender).catch((error: unknown) => {
      logUnexpectedError(error);
      throw error;
    }),
  );
}

function osPresentationApi(): OsPresentationApi {
  return {
    identity: async () => ({
      os: (await browser.runtime.getPlatformInfo()).os,
      userAgent: navigator.userAgent,
      clientHints: 'userAgentData' in navigator,
    }),
    scripting: browser.scripting,
    declarativeNetRequest: browser.declarativeNetRequest,
    tabs: browser.tabs,
  };
}
