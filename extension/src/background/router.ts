/**
 * Every runtime message lands here. Who may send what:
 *   - `page` and `portal*`: content scripts in a top frame; the origin is the sender's, and must
 *     be the `window.origin` the script reports (sender.ts). Then, before any handler: a site the
 *     user blocked is refused, a request that may open the PIN dialog needs the user's activation
 *     in the page (user-activation.ts) and must come from the tab in front (front-tab.ts), checked
 *     again right before the dialog opens; every dialog that opens is then counted against the
 *     origin's rate limit (dialog-rate-limit.ts) by the PIN operation (pin-operation.ts).
 *   - `ui`: this extension's own pages only (PIN change and the signing certificate shown in the
 *     popup are never reachable from a web page).
 * Answers are Outcomes (errors as their wire form), see messages.ts; a page's errors carry the
 * code and its generic text only (page-error.ts).
 */
import { JpkiError, serializeError } from '@jpki-bridge/shared/errors';
import { type PageAction, isPageAction } from '@jpki-bridge/shared/operations';
import { isOriginAllowed } from '@jpki-bridge/shared/origin';
import type { Outcome } from '../messages.ts';
import type { BackgroundContext } from './context.ts';
import { type SenderLike, isContentScript, isExtensionPage, originOfRequest } from './sender.ts';
import { pageActionNeedsActivation, portalOperationNeedsActivation, requireActivation, requireFrontTab } from './user-activation.ts';
import { authenticate } from './actions/authenticate.ts';
import { changePin } from './actions/change-pin.ts';
import { getSigningCertificate } from './actions/get-signing-certificate.ts';
import { hostStatus } from './actions/host-status.ts';
import { portal, portalOperationOf } from './actions/portal.ts';
import { NOT_ALLOWED, portalHello } from './actions/portal-hello.ts';
import { showSigningCertificate } from './actions/show-signing-certificate.ts';
import { sign } from './actions/sign.ts';
import { status } from './actions/status.ts';
import { logUnexpectedError } from './unexpected-error.ts';
import { pageError } from './page-error.ts';

/** A handler for every page action of operations.ts (a page action without one does not compile). */
const PAGE_HANDLERS: Record<PageAction, (ctx: BackgroundContext, origin: string, request: unknown) => Promise<unknown>> = {
  'jpki:status': (ctx) => status(ctx),
  'jpki:authenticate': authenticate,
  'jpki:get-signing-certificate': getSigningCertificate,
  'jpki:sign': sign,
};

export interface ExtensionIdentity {
  id: string;
  /** `chrome-extension://<id>/` or `moz-extension://<uuid>/`. */
  baseUrl: string;
}

export async function route(ctx: BackgroundContext, self: ExtensionIdentity, message: unknown, sender: SenderLike): Promise<unknown> {
  if (typeof message !== 'object' || message === null) return undefined;
  const { channel } = message as { channel?: unknown };
  if (channel === 'ui') {
    if (!isExtensionPage(sender, self.id, self.baseUrl)) return refuse('ERR_JPKI_ORIGIN_NOT_ALLOWED');
    return outcome(() => ui(ctx, message as Record<string, unknown>));
  }
  if (channel !== 'page' && channel !== 'portal' && channel !== 'portal-hello') return undefined;
  if (!isContentScript(sender, self.id, self.baseUrl)) return refuse('ERR_JPKI_ORIGIN_NOT_ALLOWED');
  const { origin: reported, active } = message as { origin?: unknown; active?: unknown };
  const origin = originOfRequest(sender, reported);
  if (channel === 'portal-hello') return origin && !(await ctx.isBlocked(origin)) ? portalHello(ctx, origin) : NOT_ALLOWED;
  if (!origin) return refuse('ERR_JPKI_INVALID_ORIGIN');
  if (await ctx.isBlocked(origin)) return refuse('ERR_JPKI_ORIGIN_NOT_ALLOWED');
  const tab = (sender.tab as { id?: number } | undefined)?.id;
  // The lock and adapters are shared; the requester differs (its tab is watched, its origin's
  // dialogs are counted: the PIN operation's guards, actions/with-pin.ts).
  ctx = { ...ctx, requesterTab: tab };

  if (channel === 'portal') {
    if (!isOriginAllowed(origin, await ctx.allowList())) return refuse('ERR_JPKI_ORIGIN_NOT_ALLOWED');
    const { detail } = message as { detail?: unknown };
    const operation = portalOperationOf(detail);
    return outcome(async () => {
      const needed = portalOperationNeedsActivation(operation);
      requireActivation(needed, active);
      if (needed) await requireFrontTab(ctx.isFrontTab, tab);
      return portal(ctx, origin, operation, detail);
    }, pageError);
  }
  const { action, request } = message as { action?: unknown; request?: unknown };
  if (!isPageAction(action)) return refuse('ERR_JPKI_UNKNOWN_COMMAND');
  return outcome(async () => {
    const needed = pageActionNeedsActivation(action);
    requireActivation(needed, active);
    if (needed) await requireFrontTab(ctx.isFrontTab, tab);
    return PAGE_HANDLERS[action](ctx, origin, request);
  }, pageError);
}

function ui(ctx: BackgroundContext, message: Record<string, unknown>): Promise<unknown> {
  switch (message.command) {
    case 'host-status':
      return hostStatus(ctx);
    case 'change-pin':
      return changePin(ctx, { kind: message.kind, pin: message.pin, newPin: message.newPin, confirmLastTry: message.confirmLastTry });
    case 'show-signing-certificate':
      return showSigningCertificate(ctx, { pin: message.pin, confirmLastTry: message.confirmLastTry });
    default:
      return Promise.reject(new JpkiError('ERR_JPKI_UNKNOWN_COMMAND'));
  }
}

/** `fn`'s answer as an Outcome; a failure in the wire form `toWire` gives (a page's: pageError). */
async function outcome<T>(fn: () => Promise<T>, toWire: (error: unknown) => ReturnType<typeof serializeError> = serializeError): Promise<Outcome<T>> {
  try {
    return { ok: true, result: await fn() };
  } catch (error) {
    logUnexpectedError(error);
    return { ok: false, error: toWire(error) };
  }
}

function refuse(code: JpkiError['code']): Outcome<never> {
  return { ok: false, error: new JpkiError(code).toJSON() };
}
