/**
 * The `jpki:*` surface (docs/PROTOCOL.md) in the content script: ack at once, forward, answer.
 *
 * Probe without duplicates: the page library re-posts the very same message (same requestId)
 * every 100 ms until it sees the ack, because a message posted before this script loaded is
 * lost. Here a requestId already seen is acked again but never forwarded again, so a probe can
 * never start a second operation. Messages without a requestId (other libraries) are forwarded
 * each time.
 */
import type { Outcome, PageMessage } from '../messages.ts';
import { readPageMessage } from './page-message.ts';

export type SendToBackground = (message: PageMessage) => Promise<Outcome | undefined>;

const SEEN_LIMIT = 64;

export function startPageApi(win: Window, send: SendToBackground): () => void {
  const seen: string[] = [];

  const onMessage = (event: MessageEvent): void => {
    if (event.source !== win) return;
    const message = readPageMessage(event.data);
    if (!message) return;
    const { action, requestId, request } = message;
    const origin = event.origin;
    // Opaque origins cannot be answered (postMessage would throw) nor served.
    if (!origin || origin === 'null') return;
    const reply = (suffix: string, fields: Record<string, unknown>): void => {
      const body: Record<string, unknown> = { ...fields, action: `${action}-${suffix}` };
      if (requestId !== undefined) body.requestId = requestId;
      win.postMessage(body, origin);
    };

    reply('ack', {});
    if (requestId !== undefined) {
      if (seen.includes(requestId)) return; // a probe repeat: acked, not forwarded
      seen.push(requestId);
      if (seen.length > SEEN_LIMIT) seen.shift();
    }
    if (!request) {
      reply('failure', { code: 'ERR_JPKI_INVALID_REQUEST', message: 'The request is malformed.' });
      return;
    }
    // Transient activation: the user clicked or typed in this page a moment ago (background/user-activation.ts).
    const active = win.navigator.userActivation?.isActive;
    // `forward` never rejects (below): every request gets its answer.
    void forward(send, { channel: 'page', action, request, origin: win.origin, active }).then((outcome) => {
      if (outcome.ok) reply('success', outcome.result);
      else reply('failure', { ...outcome.error });
    });
  };

  win.addEventListener('message', onMessage);
  return () => win.removeEventListener('message', onMessage);
}

/** Never rejects: a dead extension context (updated or reloaded) is EXTENSION_UNAVAILABLE. */
export async function forward<T>(send: (m: T) => Promise<Outcome | undefined>, message: T): Promise<Outcome> {
  try {
    const outcome = await send(message);
    if (outcome && typeof outcome === 'object' && typeof outcome.ok === 'boolean') return outcome;
    return { ok: false, error: { code: 'ERR_JPKI_UNKNOWN', message: 'No answer from the extension.' } };
  } catch {
    return {
      ok: false,
      error: { code: 'ERR_JPKI_EXTENSION_UNAVAILABLE', message: 'The jpki-bridge extension is not available.' },
    };
  }
}
