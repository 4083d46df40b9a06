/**
 * `--card virtual:FILE`: the virtual JPKI card in process — the mock host for site developers
 * without a reader or pcscd. The state is loaded from FILE at every operation (so `virtual-card
 * reset-pins` in another terminal takes effect) and written back atomically on every change of
 * counters, locks or PINs. The card module (and its crypto) is loaded on first use only.
 */
import { resolve } from 'node:path';
import type { CardBackend } from './backend.ts';
import { singleCardBackend } from './single-card-backend.ts';

export const VIRTUAL_READER_NAME = 'jpki-bridge virtual card (in process)';

export function createVirtualBackend(file: string): CardBackend {
  const stateFile = resolve(file);
  return singleCardBackend(VIRTUAL_READER_NAME, async () => {
    const { VirtualJpkiCard, loadCardState, saveCardStateSync } = await import('../virtual-card/index.ts');
    const state = await loadCardState(stateFile);
    const virtual = new VirtualJpkiCard(state, { onStateChange: (changed) => saveCardStateSync(stateFile, changed) });
    return {
      transport: { transmit: async (apdu) => virtual.transmit(apdu) },
      // The SCARD_RESET_CARD of the PC/SC backend: no VERIFY outlives the operation.
      release: () => virtual.reset(),
    };
  });
}
