/**
 * Content script: wiring only. The `jpki:*` API on every served page, the portal surface where
 * the background allows it. Everything sensitive happens in the background.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { browser } from 'wxt/browser';
import { startPageApi } from '../src/content/page-api.ts';
import { startPortal } from '../src/content/portal.ts';
import { CONTENT_SCRIPT_MATCHES } from '../src/content/matches.ts';
import type { Outcome, PortalHelloAnswer } from '../src/messages.ts';

export default defineContentScript({
  matches: [...CONTENT_SCRIPT_MATCHES],
  runAt: 'document_start',
  allFrames: false,
  main() {
    const send = (message: unknown) => browser.runtime.sendMessage(message);
    startPageApi(window, (message) => send(message) as Promise<Outcome | undefined>);
    startPortal(window, {
      hello: (message) => send(message) as Promise<PortalHelloAnswer | undefined>,
      launch: (message) => send(message) as Promise<Outcome | undefined>,
    });
  },
});
