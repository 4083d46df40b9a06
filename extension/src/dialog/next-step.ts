/**
 * The i18n key of the next step after an error (`next_<code>`, pure, unit-tested: every code has
 * one in both languages). A PIN's lock, last try and wrong entry depend on which PIN — where a lock
 * can be reset differs (docs/card-facts.md) — so those keys carry the kind.
 */
import type { ErrorCode } from '@jpki-bridge/shared/errors';
import type { PinKind } from '@jpki-bridge/shared/policy';

const PER_PIN: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ERR_JPKI_PIN_LOCKED', 'ERR_JPKI_PIN_LAST_TRY', 'ERR_JPKI_PIN_INCORRECT']);

export function nextStepKey(code: ErrorCode, kind: PinKind): string {
  return PER_PIN.has(code) ? `next_${code}_${kind}` : `next_${code}`;
}
