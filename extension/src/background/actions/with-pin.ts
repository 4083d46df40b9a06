/**
 * What a PIN-using action hands the PIN operation (pin-operation.ts): the guards of this request
 * — the extension's lock, the requesting tab still in front and its origin's dialog allowance, the
 * requesting tab's watch —
 * and the adapters of the background's context. Each action supplies only its host call.
 */
import type { BackgroundContext } from '../context.ts';
import { type NativeSession, withSession } from '../native/native-app-service.ts';
import { type PinGuards, type PinOperationSpec, runPinOperation } from '../pin-operation.ts';
import { requireFrontTab } from '../user-activation.ts';

export function withPin<T>(ctx: BackgroundContext, spec: PinOperationSpec<T>): Promise<T> {
  return runPinOperation(pinGuards(ctx, spec.origin), ctx, spec);
}

function pinGuards(ctx: BackgroundContext, origin: string): PinGuards {
  const { requesterTab: tab, watchTab } = ctx;
  return {
    lock: ctx.lock,
    // Right before the dialog opens: the tab is still in front (front-tab.ts), and the origin has dialogs left.
    takeDialog: async () => {
      await requireFrontTab(ctx.isFrontTab, tab);
      await ctx.dialogLimit.take(origin);
    },
    ...(tab !== undefined && watchTab ? { watchTab: () => watchTab(tab) } : {}),
  };
}

/** `confirmLastTry` only when set: the host accepts exactly the listed keys. */
export function lastTry(confirmLastTry: boolean): { confirmLastTry?: true } {
  return confirmLastTry ? { confirmLastTry: true } : {};
}

/**
 * A PIN operation of the extension's own popup, whose form took the PIN (checked by its caller
 * first): no dialog, but the same lock as every PIN operation, and one host session.
 */
export function withPopupPin<T>(ctx: BackgroundContext, call: (session: NativeSession) => Promise<T>): Promise<T> {
  return ctx.lock.run(() => withSession(ctx.connect, call, { helloTimeoutMs: ctx.helloTimeoutMs, requestTimeoutMs: ctx.requestTimeoutMs }));
}
