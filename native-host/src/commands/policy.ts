/**
 * The host's copy of the policy (DESIGN §5), steps as functions in the order commands call them.
 * The extension checks the same rules; the host checks them again whatever the extension says.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { checkPin } from '@jpki-bridge/shared/pin';
import { POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import type { JpkiCard } from '../card/jpki-card.ts';

/**
 * Step 1: the PIN must match its rule, else ERR_JPKI_PIN_FORMAT before any card contact.
 * Returns the normalized PIN as ASCII bytes; the caller zeroes them in `finally` (`wipe`).
 */
export function pinBytes(kind: PinKind, pin: string, which = 'PIN'): Uint8Array {
  const checked = checkPin(kind, pin);
  if (!checked.ok) throw new JpkiError('ERR_JPKI_PIN_FORMAT', `the ${kind === 'auth' ? 'authentication' : 'signing'} ${which} breaks its rule (${checked.problem})`);
  const bytes = new Uint8Array(checked.pin.length);
  for (let i = 0; i < checked.pin.length; i++) bytes[i] = checked.pin.charCodeAt(i);
  return bytes;
}

export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}

/** Step 2: read the retry counter without spending a try; 0 → locked; 1 → only with confirmLastTry. */
export async function checkRetries(card: JpkiCard, kind: PinKind, confirmLastTry: boolean | undefined): Promise<void> {
  const left = await card.retries(kind);
  if (left === 0) throw new JpkiError('ERR_JPKI_PIN_LOCKED', undefined, 0);
  if (left === 1 && confirmLastTry !== true) throw new JpkiError('ERR_JPKI_PIN_LAST_TRY', undefined, 1);
}

/** Step 3 (signing only): EF 0008 byte 0 must be 8F. */
export async function requireSigningCertificate(card: JpkiCard): Promise<void> {
  if (!(await card.availability()).sign) throw new JpkiError('ERR_JPKI_NO_SIGNING_CERTIFICATE');
}

/** Steps 2–4 for one PIN kind: retries, (signing) certificate present, VERIFY. */
export async function unlock(card: JpkiCard, kind: PinKind, pin: Uint8Array, confirmLastTry: boolean | undefined): Promise<void> {
  await checkRetries(card, kind, confirmLastTry);
  if (kind === 'sign') await requireSigningCertificate(card);
  await card.verify(kind, pin);
}

export const certificateEf = (kind: PinKind) => POLICY[kind].certificateEf;
