/**
 * The numbers that make one virtual card distinct from another: the manufacture number of the
 * card-ID application and the (fake) My Number of the text application. Each is made from bytes
 * the caller gives: random ones for a new card, a hash of the card's own certificate when an older
 * state file gains them (upgrade.ts), so two processes upgrading the same file agree.
 */

const MANUFACTURE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const MANUFACTURE_NUMBER_LENGTH = 13;

/** 13 characters of 0-9A-Z (the span jpki/myna reads; a real card's character set is not known here). */
export function manufactureNumberFrom(bytes: Uint8Array): string {
  if (bytes.length < MANUFACTURE_NUMBER_LENGTH) throw new RangeError(`need ${MANUFACTURE_NUMBER_LENGTH} bytes`);
  let out = '';
  for (let i = 0; i < MANUFACTURE_NUMBER_LENGTH; i++) out += MANUFACTURE_ALPHABET[bytes[i]! % MANUFACTURE_ALPHABET.length];
  return out;
}

/**
 * A 12-digit number shaped like a My Number whose check digit is deliberately WRONG, so it can
 * never be anybody's number. It only sits in the text application's EF 0001, behind the text PIN;
 * the host never reads it.
 */
export function fakeMyNumberFrom(bytes: Uint8Array): string {
  if (bytes.length < 12) throw new RangeError('need 12 bytes');
  let body = '';
  for (let i = 0; i < 11; i++) body += String(bytes[i]! % 10);
  const wrong = (myNumberCheckDigit(body) + 1 + (bytes[11]! % 9)) % 10;
  return body + String(wrong);
}

/**
 * The check digit of the first 11 digits (the My Number's rule: P_n is the n-th digit from the
 * right, weights Q_n = n + 1 for n ≤ 6 and n − 5 above; 11 − Σ mod 11, or 0 when that is 10 or 11).
 */
export function myNumberCheckDigit(first11: string): number {
  if (!/^[0-9]{11}$/.test(first11)) throw new RangeError('11 digits expected');
  let sum = 0;
  for (let n = 1; n <= 11; n++) sum += Number(first11[11 - n]) * (n <= 6 ? n + 1 : n - 5);
  const remainder = sum % 11;
  return remainder <= 1 ? 0 : 11 - remainder;
}
