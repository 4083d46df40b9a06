/**
 * The one owner of a PIN operation: it takes the guards, makes the deadline, opens the dialog,
 * starts the host, runs the conversation (pin-conversation.ts) and tears all of it down in one
 * place. The guards come in as parameters, so what stands in front of a dialog is read here:
 *   - the operation lock: one PIN operation at a time, extension-wide (operation-lock.ts);
 *   - the requesting tab's watch: the operation ends when that page goes (tab-watch.ts);
 *   - the dialog rate limit: one of the origin's dialogs is taken just before the window opens,
 *     so refusals before it (pending, invalid) cost nothing (dialog-rate-limit.ts).
 *
 * The window opens first; the host starts once it is up (started together, the host's start-up
 * slowed the window's first paint) and reads the card's status while the user types. 再試行 in the
 * dialog asks the same host for the status again (a host that failed to start is started anew).
 */
import { OPERATIONS, type DialogUse } from '@jpki-bridge/shared/operations';
import { siteKind } from '../settings/site-kind.ts';
import { afterAnswer } from './after-answer.ts';
import { createDeadline } from './deadline.ts';
import type { NativeChannel, NativeConnector } from './native/channel.ts';
import { NativeSession, type SessionOptions } from './native/native-app-service.ts';
import type { OperationLock } from './operation-lock.ts';
import { converse } from './pin-conversation.ts';
import type { OpenPrompt, PinPrompt } from './pin-prompt.ts';

export interface PinGuards {
  lock: OperationLock;
  /** Takes one dialog from the requesting origin's allowance; rejects ERR_JPKI_RATE_LIMITED past it. */
  takeDialog(): Promise<void>;
  /** Watches the requesting tab: `gone` rejects when it closes or loads another page. Absent: no tab. */
  watchTab?(): { gone: Promise<never>; dispose(): void };
}

/** The outside world: the dialog window, the host, the portal allow-list (for the dialog's badge). */
export interface PinOperationIo extends SessionOptions {
  openPrompt: OpenPrompt;
  connect: NativeConnector;
  allowList(): Promise<readonly string[]>;
}

export interface PinOperationSpec<T> {
  origin: string;
  /** The operation-table row (shared/src/operations.ts): which PIN, and the dialog's wording. */
  use: DialogUse;
  /** Hashes or DigestInfos to sign (0 when nothing is signed), for the dialog's wording. */
  count: number;
  timeoutMs: number;
  /** The host call once a PIN is in; the PIN is passed through, never kept. */
  call(session: NativeSession, pin: string, confirmLastTry: boolean): Promise<T>;
}

export function runPinOperation<T>(guards: PinGuards, io: PinOperationIo, spec: PinOperationSpec<T>): Promise<T> {
  return guards.lock.run(async () => {
    const watch = guards.watchTab?.();
    watch?.gone.catch(() => {});
    const deadline = createDeadline(spec.timeoutMs, Date.now, watch?.gone);
    let opening: Promise<PinPrompt> | undefined;
    let channel: NativeChannel | undefined;
    let host: Promise<NativeSession> | undefined;
    try {
      const site = siteKind(spec.origin, await io.allowList());
      opening = guards.takeDialog().then(() => io.openPrompt());
      const prompt = await deadline.race(opening);
      const startHost = () => {
        const started = NativeSession.open(() => (channel = io.connect()), { helloTimeoutMs: io.helloTimeoutMs, requestTimeoutMs: io.requestTimeoutMs });
        started.catch(() => {
          if (host === started) host = undefined; // 再試行 starts it anew
        });
        return (host = started);
      };
      const status = () => (host ?? startHost()).then((session) => session.request('status', {}));
      const conversation = {
        origin: spec.origin,
        use: spec.use,
        kind: OPERATIONS[spec.use].pin,
        site,
        count: spec.count,
      };
      // `call` comes only after a status did, so the session is open by then.
      return await converse(prompt, conversation, deadline, status, async (pin, confirmLastTry) => spec.call(await host!, pin, confirmLastTry));
    } finally {
      deadline.clear();
      watch?.dispose();
      // The one teardown, once the page has its answer (after-answer.ts), on every path: the
      // window (also one still opening when the deadline or the page's leaving came first), the
      // native port (also while the host is still starting, before its hello) and the session.
      afterAnswer(() => {
        void opening?.then(
          (prompt) => prompt.close(),
          () => {},
        );
        channel?.close();
        void host?.then(
          (session) => session.close(),
          () => {},
        );
      });
    }
  });
}
