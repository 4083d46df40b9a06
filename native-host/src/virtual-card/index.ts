/** The virtual JPKI card (DESIGN §8): what the host's `virtual:FILE` backend and tests import. */
export { VirtualJpkiCard, VIRTUAL_ATR, type VirtualCardOptions } from './card.ts';
export {
  loadCardState,
  saveCardState,
  saveCardStateSync,
  createCardState,
  DEFAULT_PINS,
  MAX_RETRIES,
  type VirtualCardState,
  type PersonaKind,
  type PinKind,
  type PinState,
  type Persona,
} from './state.ts';
export { devCaRoots } from './dev-ca.ts';
export { resetPins } from './reset.ts';
