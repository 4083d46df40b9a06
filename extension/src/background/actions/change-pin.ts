/**
 * PIN change, from the popup only (the router refuses it from web pages). Both PINs are checked
 * against their rule here first, so a malformed one never reaches the host; the host checks again.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { checkPin } from '@jpki-bridge/shared/pin';
import { isPinKind } from '@jpki-bridge/shared/policy';
import type { BackgroundContext } from '../context.ts';
import { lastTry, withPopupPin } from './with-pin.ts';

/** As the popup sent it: nothing is trusted before the checks below. */
export interface ChangePinRequest {
  kind: unknown;
  pin: unknown;
  newPin: unknown;
  confirmLastTry?: unknown;
}

export function changePin(ctx: BackgroundContext, request: ChangePinRequest): Promise<Record<string, never>> {
  const { kind } = request;
  if (!isPinKind(kind)) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const current = checkPin(kind, request.pin);
  const next = checkPin(kind, request.newPin);
  if (!current.ok || !next.ok) throw new JpkiError('ERR_JPKI_PIN_FORMAT');
  return withPopupPin(ctx, async (session) => {
    await session.request('change-pin', { kind, pin: current.pin, newPin: next.pin, ...lastTry(request.confirmLastTry === true) });
    return {};
  });
}
