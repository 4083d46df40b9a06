/**
 * The PIN rules: the authentication PIN and the text PIN (券面事項入力補助用暗証番号) are exactly 4
 * digits each; the signing PIN 6–16 of A–Z and 0–9 with at least one of each. Pure: used by the
 * dialog as the user types and by the host before the card.
 */
import type { PinKind } from './policy.ts';

/** Each rule a PIN can break; the dialog words each one (i18n key `pinProblem_<name>`). */
export const PIN_PROBLEMS = [
  'empty',
  'not-a-string',
  'auth-not-4-digits',
  'text-not-4-digits',
  'sign-too-short',
  'sign-too-long',
  'sign-bad-character',
  'sign-needs-letter',
  'sign-needs-digit',
] as const;

export type PinProblem = (typeof PIN_PROBLEMS)[number];

export type PinCheck = { ok: true; pin: string } | { ok: false; problem: PinProblem };

/** How many characters each PIN has: the one place for these numbers (the dialog's field takes `max`). */
export const PIN_LENGTH: Readonly<Record<PinKind, { readonly min: number; readonly max: number }>> = {
  auth: { min: 4, max: 4 },
  sign: { min: 6, max: 16 },
  text: { min: 4, max: 4 },
};

/** The authentication PIN's rule, and the text PIN's: the card's two 4-digit PINs. */
const FOUR_DIGITS = new RegExp(`^[0-9]{${PIN_LENGTH.auth.min}}$`);
const TEXT_DIGITS = new RegExp(`^[0-9]{${PIN_LENGTH.text.min}}$`);
const SIGN_RULE = new RegExp(`^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{${PIN_LENGTH.sign.min},${PIN_LENGTH.sign.max}}$`);

/**
 * The signing PIN is case-insensitive for the user: lowercase input (a–z) is upper-cased. Only
 * ASCII: String#toUpperCase maps other letters into A–Z too ('ſ' → 'S', 'ı' → 'I', 'ß' → 'SS'),
 * which would turn a PIN outside the rule into one that passes it and reaches the card.
 */
export function normalizePin(kind: PinKind, pin: string): string {
  return kind === 'sign' ? pin.replace(/[a-z]+/g, (letters) => letters.toUpperCase()) : pin;
}

/** Checks a PIN against its kind's rule; on success returns the normalized PIN to send. */
export function checkPin(kind: PinKind, input: unknown): PinCheck {
  if (typeof input !== 'string') return { ok: false, problem: 'not-a-string' };
  if (input.length === 0) return { ok: false, problem: 'empty' };
  const pin = normalizePin(kind, input);
  if (kind === 'auth') return FOUR_DIGITS.test(pin) ? { ok: true, pin } : { ok: false, problem: 'auth-not-4-digits' };
  if (kind === 'text') return TEXT_DIGITS.test(pin) ? { ok: true, pin } : { ok: false, problem: 'text-not-4-digits' };
  if (SIGN_RULE.test(pin)) return { ok: true, pin };
  if (pin.length < PIN_LENGTH.sign.min) return { ok: false, problem: 'sign-too-short' };
  if (pin.length > PIN_LENGTH.sign.max) return { ok: false, problem: 'sign-too-long' };
  if (!/^[A-Z0-9]*$/.test(pin)) return { ok: false, problem: 'sign-bad-character' };
  if (!/[A-Z]/.test(pin)) return { ok: false, problem: 'sign-needs-letter' };
  return { ok: false, problem: 'sign-needs-digit' };
}
