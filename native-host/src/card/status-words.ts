/**
 * What the card's status words mean to the card layer, for every application of the card (the
 * JPKI applet, the card-ID and text applications): one reading, so they cannot drift apart.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { SW, isRetryCounter } from '@jpki-bridge/shared/card';

/** 69 83 (authentication method blocked): what some cards answer instead of 69 84. */
const AUTH_METHOD_BLOCKED = 0x6983;

/** VERIFY without data → tries left; `maxTries` when the card says 90 00 (already verified). */
export function retriesFromStatus(sw: number, maxTries: number, what: string): number {
  if (isRetryCounter(sw)) return sw & 0x0f;
  if (sw === SW.PIN_LOCKED || sw === AUTH_METHOD_BLOCKED) return 0;
  // 90 00: already verified in this card session; nothing is at risk.
  if (sw === SW.OK) return maxTries;
  throw statusError(sw, what);
}

/** VERIFY with the PIN: returns on 90 00; a wrong PIN → PIN_INCORRECT with the tries left; 63 C0 / 69 84 → PIN_LOCKED. */
export function expectVerified(sw: number, what: string): void {
  if (sw === SW.OK) return;
  if (sw === SW.PIN_LOCKED || sw === AUTH_METHOD_BLOCKED || sw === 0x63c0) throw new JpkiError('ERR_JPKI_PIN_LOCKED');
  if (isRetryCounter(sw)) throw new JpkiError('ERR_JPKI_PIN_INCORRECT', undefined, sw & 0x0f);
  throw statusError(sw, what);
}

export function expectOk(sw: number, what: string): void {
  if (sw !== SW.OK) throw statusError(sw, what);
}

export function statusError(sw: number, what: string): JpkiError {
  if (sw === SW.PIN_LOCKED) return new JpkiError('ERR_JPKI_PIN_LOCKED');
  return new JpkiError('ERR_JPKI_CARD_ERROR', `${what}: status word ${sw.toString(16).padStart(4, '0')}`);
}
