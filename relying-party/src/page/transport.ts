/**
 * One `jpki:*` exchange with the content script (docs/PROTOCOL.md § Page API), with the ack probe.
 *
 * Probe: the request itself is the probe. It carries a random `requestId` and is re-posted every
 * PROBE_INTERVAL_MS until the content script acks it — a message posted before the content script
 * has loaded is simply lost, so a one-shot "ready" handshake would be racy. The content script
 * acks every copy but forwards a given requestId only once, so probing can never start a second
 * operation. No ack within ACK_TIMEOUT_MS → ERR_JPKI_EXTENSION_UNAVAILABLE.
 * Replies are matched by requestId, so concurrent calls on one page never mix their answers.
 */
import { ACK_TIMEOUT_MS, DEADLINE_EXTENSION_MS, MAX_DEADLINE_EXTENSIONS, USER_TIMEOUT_MS } from '@jpki-bridge/shared/constants';
import { JpkiError, deserializeError } from '@jpki-bridge/shared/errors';

export const PROBE_INTERVAL_MS = 100;
/**
 * After the ack, the extension enforces the user timeout (which the user may extend in the PIN
 * dialog, a bounded number of times); this only catches a vanished extension.
 */
const SAFETY_MARGIN_MS = 60_000;

export interface ExchangeOptions {
  /** The user-interaction timeout the page asks for (ms, ≤ 120 000). */
  timeout?: number | undefined;
  /** For tests. */
  ackTimeoutMs?: number;
  target?: Window;
}

export function exchange<T>(action: string, fields: Record<string, unknown>, options: ExchangeOptions = {}): Promise<T> {
  const win = options.target ?? window;
  if (!win.isSecureContext) return Promise.reject(new JpkiError('ERR_JPKI_CONTEXT_INSECURE'));
  const requestId = randomId();
  const message: Record<string, unknown> = { ...fields, action, requestId };
  if (options.timeout !== undefined) message.timeout = options.timeout;
  const origin = win.location.origin;

  return new Promise<T>((resolve, reject) => {
    let probe: ReturnType<typeof setInterval> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = () => {
      clearInterval(probe);
      clearTimeout(timer);
      win.removeEventListener('message', onMessage);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.source !== win || event.origin !== origin) return;
      const data = event.data as Record<string, unknown> | null;
      if (typeof data !== 'object' || data === null || data.requestId !== requestId) return;
      if (data.action === `${action}-ack`) {
        if (probe === undefined) return; // a late ack of a probe copy
        clearInterval(probe);
        probe = undefined;
        clearTimeout(timer);
        timer = setTimeout(
          () => {
            cleanup();
            reject(new JpkiError('ERR_JPKI_USER_TIMEOUT'));
          },
          (options.timeout ?? USER_TIMEOUT_MS) + MAX_DEADLINE_EXTENSIONS * DEADLINE_EXTENSION_MS + SAFETY_MARGIN_MS,
        );
      } else if (data.action === `${action}-success`) {
        cleanup();
        const { action: _a, requestId: _r, ...result } = data;
        resolve(result as T);
      } else if (data.action === `${action}-failure`) {
        cleanup();
        reject(deserializeError(data));
      }
    };
    win.addEventListener('message', onMessage);
    const post = () => win.postMessage(message, origin);
    probe = setInterval(post, PROBE_INTERVAL_MS);
    timer = setTimeout(() => {
      cleanup();
      reject(new JpkiError('ERR_JPKI_EXTENSION_UNAVAILABLE'));
    }, options.ackTimeoutMs ?? ACK_TIMEOUT_MS);
    post();
  });
}

function randomId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
