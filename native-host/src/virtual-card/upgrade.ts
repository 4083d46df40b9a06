/**
 * A state file of the previous format (`jpki-bridge-virtual-card/1`, before the card-ID and text
 * applications) still loads: it gains the neutral ATR, a full text PIN counter and numbers derived
 * from its own authentication certificate — derived, not random, so that every process loading
 * the same old file sees the same card (the combination code must not change between loads).
 * The next write stores them.
 */
import { createHash } from 'node:crypto';
import { fakeMyNumberFrom, manufactureNumberFrom } from './card-numbers.ts';
import { STATE_FORMAT, freshPins, type VirtualCardState } from './state.ts';

const PREVIOUS_FORMAT = 'jpki-bridge-virtual-card/1';

/** The state, upgraded when it is of the previous format; null when it is no card state at all. */
export function upgradeCardState(parsed: unknown): VirtualCardState | null {
  const format = (parsed as { format?: unknown } | null)?.format;
  if (format === STATE_FORMAT) return parsed as VirtualCardState;
  if (format !== PREVIOUS_FORMAT) return null;
  const old = parsed as Omit<VirtualCardState, 'format' | 'atr' | 'cardId' | 'text' | 'pins'> & { pins: Omit<VirtualCardState['pins'], 'text'> };
  const seed = (label: string) => createHash('sha256').update(label).update(old.auth.certificate).digest();
  return {
    ...old,
    format: STATE_FORMAT,
    atr: 'neutral',
    cardId: { manufactureNumber: manufactureNumberFrom(seed('manufacture number')) },
    text: { myNumber: fakeMyNumberFrom(seed('my number')) },
    pins: { ...old.pins, text: freshPins().text },
  };
}
