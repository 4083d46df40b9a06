/** The virtual My Number card: what the host's `virtual:FILE` backend and tests import. */
export { VirtualJpkiCard, VIRTUAL_ATR, type VirtualCardOptions } from './card.ts';
export { ATRS, ATR_CHOICES, isAtrChoice, type AtrChoice } from './atr.ts';
export { loadCardState, saveCardState, saveCardStateSync } from './state-file.ts';
export { createCardState } from './issue.ts';
export {
  DEFAULT_PINS,
  MAX_RETRIES,
  type VirtualCardState,
  type PersonaKind,
  type PinKind,
  type KeyKind,
  type PinState,
  type Persona,
} from './state.ts';
export { devCaRoots } from './dev-ca.ts';
export { devCaCrls } from './dev-crl.ts';
export { resetPins } from './reset.ts';
