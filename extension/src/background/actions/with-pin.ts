/**
 * The frame every PIN-using action shares: the lock, one native session (started once the
 * dialog window is up), the card check, the deadline and the dialog loop. Which PIN and which
 * wording follow from the verb (`use`, a row of operations.ts); each action supplies only its
 * host call.
 */
import { OPERATIONS, type DialogUse } from '@jpki-bridge/shared/operations';
import { isOriginAllowed } from '@jpki-bridge/shared/origin';
import type { BackgroundContext } from '../context.ts';
import { createDeadline } from '../deadline.ts';
import type { NativeChannel } from '../native/channel.ts';
import { NativeSession } from '../native/native-app-service.ts';
import { runPinOperation } from '../pin-operation.ts';
import { siteKind } from '../../settings/site-kind.ts';
import { afterAnswer } from '../after-answer.ts';

export interface PinActionSpec<T> {
  origin: string;
  use: DialogUse;
  /** Hashes or DigestInfos to sign (0 when nothing is signed), for the dialog's wording. */
  count: number;
  timeoutMs: number;
  call(session: NativeSession, pin: string, confirmLastTry: boolean): Promise<T>;
}

export function withPin<T>(ctx: BackgroundContext, spec: PinActionSpec<T>): Promise<T> {
  return ctx.lock.run(async () => {
    const watch = ctx.requesterTab !== undefined ? ctx.watchTab?.(ctx.requesterTab) : undefined;
    watch?.gone.catch(() => {});
    const deadline = createDeadline(spec.timeoutMs, Date.now, watch?.gone);
    try {
      const allowList = await ctx.allowList();
      const allowListed = isOriginAllowed(spec.origin, allowList);
      // The host starts once the window is up (pin-operation.ts calls `status`), so that its
      // start-up does not slow the window's first paint; the card's status fills in when it comes.
      let channel: NativeChannel | undefined;
      let opening: Promise<NativeSession> | undefined;
      const startHost = () =>
        (opening = NativeSession.open(() => (channel = ctx.connect()), { helloTimeoutMs: ctx.helloTimeoutMs, requestTimeoutMs: ctx.requestTimeoutMs }));
      try {
        return await runPinOperation({
          origin: spec.origin,
          use: spec.use,
          kind: OPERATIONS[spec.use].pin,
          allowListed,
          site: siteKind(spec.origin, allowList),
          count: spec.count,
          // 再試行 asks the same host again; a host that failed to start is started anew.
          status: () => {
            const session = opening ?? startHost();
            session.catch(() => {
              if (opening === session) opening = undefined;
            });
            return session.then((open) => open.request('status', {}));
          },
          deadline,
          openPrompt: ctx.openPrompt,
          // Called only after the status came, so the session is open by then.
          call: async (pin, confirmLastTry) => spec.call(await opening!, pin, confirmLastTry),
        });
      } finally {
        // Closed on every path once the page has its answer, also while the host is still
        // starting (before its hello).
        afterAnswer(() => {
          channel?.close();
          void opening?.then((session) => session.close(), () => {});
        });
      }
    } finally {
      deadline.clear();
      watch?.dispose();
    }
  });
}

/** `confirmLastTry` only when set: the host accepts exactly the listed keys. */
export function lastTry(confirmLastTry: boolean): { confirmLastTry?: true } {
  return confirmLastTry ? { confirmLastTry: true } : {};
}
