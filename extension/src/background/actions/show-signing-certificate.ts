/**
 * The popup's "show my signing certificate": the card gives it only after the signing PIN, which
 * the popup's own form took, as it takes the PINs it changes. The PIN's rule is checked here
 * first, so a malformed one never reaches the host (which checks again, then the tries left and
 * the last-try confirmation before VERIFY). No origin goes to the host: no site asks. The
 * certificate goes back to the popup only, which shows it and keeps it nowhere.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { checkPin } from '@jpki-bridge/shared/pin';
import type { BackgroundContext } from '../context.ts';
import { lastTry, withPopupPin } from './with-pin.ts';

/** As the popup sent it: nothing is trusted before the check below. */
export interface ShowSigningCertificateRequest {
  pin: unknown;
  confirmLastTry?: unknown;
}

export function showSigningCertificate(ctx: BackgroundContext, request: ShowSigningCertificateRequest): Promise<{ certificate: string }> {
  const checked = checkPin('sign', request.pin);
  if (!checked.ok) throw new JpkiError('ERR_JPKI_PIN_FORMAT');
  return withPopupPin(ctx, (session) => session.request('get-signing-certificate', { pin: checked.pin, ...lastTry(request.confirmLastTry === true) }));
}
