/** `reset-pins`: what the municipal office does — every PIN (the JPKI two and the text one) back to default, counters full, locks gone. */
import { freshPins, type VirtualCardState } from './state.ts';

export function resetPins(state: VirtualCardState): void {
  state.pins = freshPins();
}
