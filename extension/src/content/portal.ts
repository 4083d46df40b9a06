/**
 * The Mynaportal-compatible DOM-event surface (docs/PROTOCOL.md), only on allow-listed origins.
 * Which origins are allowed is decided by the background from the sender's origin (this script
 * never reads the list itself), and the background checks it again for every `launchApp`.
 *
 * `launchApp` is caught on `window` in the capture phase, so it is seen whether the page
 * dispatches it on window, document or any element. `recvMsg` is dispatched on `document`,
 * bubbling, so listeners on document or window both get it. Details are JSON strings: only
 * primitives cross between the page's world and ours.
 */
import type { Outcome, PortalHelloAnswer, PortalHelloMessage, PortalMessage } from '../messages.ts';
import { forward } from './page-api.ts';

export type PortalSend = {
  hello(message: PortalHelloMessage): Promise<PortalHelloAnswer | undefined>;
  launch(message: PortalMessage): Promise<Outcome | undefined>;
};

const MAX_DETAIL = 8_192;

export function startPortal(win: Window, send: PortalSend): void {
  const hello = send.hello({ channel: 'portal-hello' }).catch(() => undefined);

  hello.then((answer) => {
    if (!answer?.allowed) return;
    whenReady(win.document, () => {
      setHidden(win.document, 'extension-is-installed', answer.extensionMajor);
      if (answer.hostVersion) setHidden(win.document, 'app-is-installed', answer.hostVersion);
    });
  });

  win.addEventListener(
    'launchApp',
    (event) => {
      const detail = (event as CustomEvent).detail;
      if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return;
      void hello.then(async (answer) => {
        if (!answer?.allowed) return; // not allow-listed: the event is ignored entirely
        const mode = readMode(detail);
        const outcome = await forward(send.launch, { channel: 'portal', detail });
        const body = outcome.ok
          ? { mode, result: '0', ...outcome.result }
          : { mode, result: '1', errcode: outcome.error.code };
        win.document.dispatchEvent(new CustomEvent('recvMsg', { detail: JSON.stringify(body), bubbles: true }));
      });
    },
    true,
  );
}

function readMode(detail: string): string {
  try {
    const mode = (JSON.parse(detail) as { mode?: unknown } | null)?.mode;
    return typeof mode === 'string' ? mode.slice(0, 8) : '';
  } catch {
    return '';
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
