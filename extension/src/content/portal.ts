/**
 * The Mynaportal-compatible DOM-event surface (docs/PROTOCOL.md § Portal surface), only on
 * allow-listed origins. Which origins are allowed, and what the hidden inputs say, is decided by
 * the background from the sender's origin (this script never reads the list itself), and the
 * background checks it again for every `launchApp`.
 *
 * `launchApp` is caught on `window` in the capture phase, so it is seen whether the page
 * dispatches it on window, document or any element. `recvMsg` is dispatched on `document`,
 * bubbling, so listeners on document or window both get it. Details are JSON strings: only
 * primitives cross between the page's world and ours.
 */
import { PORTAL_ERRCODE, PORTAL_RESULT } from '@jpki-bridge/shared/portal-compat';
import type { Outcome, PortalHelloAnswer, PortalHelloMessage, PortalMessage } from '../messages.ts';
import { forward } from './page-api.ts';

export type PortalSend = {
  hello(message: PortalHelloMessage): Promise<PortalHelloAnswer | undefined>;
  launch(message: PortalMessage): Promise<Outcome | undefined>;
};

const MAX_DETAIL = 8_192;

export function startPortal(win: Window, send: PortalSend): void {
  const hello = send.hello({ channel: 'portal-hello', origin: win.origin }).catch(() => undefined);

  // `hello` never rejects (caught above).
  void hello.then((answer) => {
    if (!answer?.allowed) return;
    whenReady(win.document, () => {
      for (const [id, value] of Object.entries(answer.inputs)) setHidden(win.document, id, value);
    });
  });

  win.addEventListener(
    'launchApp',
    (event) => {
      const detail = (event as CustomEvent).detail;
      if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
      void hello.then(async (answer) => {
        if (!answer?.allowed) return; // not allow-listed: the event is ignored entirely
        // Sticky activation: a portal page asks on load or after a click, and says which by its flow.
        const active = win.navigator?.userActivation?.hasBeenActive;
        const outcome = await forward(send.launch, { channel: 'portal', detail, origin: win.origin, active });
        const body = outcome.ok ? outcome.result : failure(detail, outcome.error.code);
        win.document.dispatchEvent(new CustomEvent('recvMsg', { detail: JSON.stringify(body), bubbles: true }));
      });
    },
    true,
  );
}

/**
 * A failure as portals expect it: the page's own request back, with result "1" and the generic
 * errcode, and our code beside them. Nothing of ours is added to what the page sent, and a `pin`
 * the page itself put in is not echoed.
 */
function failure(detail: string, code: string): Record<string, unknown> {
  let request: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(detail);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) request = { ...parsed };
  } catch {
    // Not JSON: there is nothing of the page's to echo.
  }
  delete request.pin;
  return { ...request, result: PORTAL_RESULT.failed, errcode: PORTAL_ERRCODE, jpki_error: code };
}

function whenReady(doc: Document, fn: () => void): void {
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', fn, { once: true });
  else fn();
}

/** Sets the page's own hidden input if it has one, else adds ours. */
function setHidden(doc: Document, id: string, value: string): void {
  let input = doc.getElementById(id) as HTMLInputElement | null;
  if (!input) {
    input = doc.createElement('input');
    input.type = 'hidden';
    input.id = id;
    (doc.body ?? doc.documentElement).appendChild(input);
  }
  input.value = value;
}
