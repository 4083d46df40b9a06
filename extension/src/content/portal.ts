/**
 * The Mynaportal-compatible DOM-event surface (docs/PROTOCOL.md § Portal surface), only on
 * allow-listed origins. Which origins are allowed, and what the hidden inputs say, is decided by
 * the background from the sender's origin (this script never reads the list itself), and the
 * background checks it again for every `launchApp`.
 *
 * `launchApp` is caught on `window` in the capture phase, so it is seen whether the page
 * dispatches it on window, document or any element. `recvMsg` is dispatched on `document`,
 * bubbling, so listeners on document or window both get it. Details are JSON strings: only
 * primitives cross between the page's world and ours. A `launchApp` detail is parsed here, once:
 * the background reads the parsed value (still untrusted), and a failure echoes it.
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
        const request = parseDetail(detail);
        const outcome = await forward(send.launch, { channel: 'portal', detail: request, origin: win.origin, active });
        const body = outcome.ok ? outcome.result : failure(request, outcome.error.code);
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
function failure(detail: unknown, code: string): Record<string, unknown> {
  const request: Record<string, unknown> = typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? { ...detail } : {};
  delete request.pin;
  return { ...request, result: PORTAL_RESULT.failed, errcode: PORTAL_ERRCODE, jpki_error: code };
}

/** The detail's JSON value; undefined when it is not JSON (the background then refuses it as invalid). */
function parseDetail(detail: string): unknown {
  try {
    return JSON.parse(detail);
  } catch {
    return undefined;
  }
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
