/**
 * What the PIN field shows and allows as the user types (pure, unit-tested). The signing PIN is
 * upper-cased as typed; submit is enabled only when checkPin accepts the PIN, and on the last try
 * only after the explicit confirmation — so a malformed PIN can never be sent.
 */
import { PIN_LENGTH, type PinProblem, checkPin, normalizePin } from '@jpki-bridge/shared/pin';
import type { PinKind } from '@jpki-bridge/shared/policy';
import type { DialogPhase } from '../dialog-protocol.ts';

export interface PinInputView {
  /** The value to put back into the field (upper-cased for the signing PIN). */
  value: string;
  /** The rule the current value breaks, or null; not shown while the field is still empty. */
  problem: PinProblem | null;
  canSubmit: boolean;
}

/** The field's `maxLength`: each PIN's longest (shared/src/pin.ts). */
export const MAX_LENGTH: Record<PinKind, number> = { auth: PIN_LENGTH.auth.max, sign: PIN_LENGTH.sign.max, text: PIN_LENGTH.text.max };

export function viewPinInput(kind: PinKind, raw: string, phase: DialogPhase, confirmed: boolean): PinInputView {
  // The shared rule's upper-casing (ASCII only): 'ſ' stays 'ſ' and is refused, never shown as 'S'.
  const value = normalizePin(kind, raw).slice(0, MAX_LENGTH[kind]);
  const check = checkPin(kind, value);
  const problem = value.length === 0 || check.ok ? null : check.problem;
  // While the card is still being checked a PIN may be submitted: the background holds it until the
  // tries left are known, and asks for the last-try confirmation then if it is needed.
  const phaseAllows = phase === 'enter' || phase === 'checking' || (phase === 'confirm-last-try' && confirmed);
  return { value, problem, canSubmit: check.ok && phaseAllows };
}

/** The i18n key of a PinProblem (`sign-too-short` → `pinProblem_sign_too_short`). */
export function problemKey(problem: PinProblem): string {
  return `pinProblem_${problem.replace(/-/g, '_')}`;
}
