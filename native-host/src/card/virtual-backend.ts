/**
 * `--card virtual:FILE`: the virtual JPKI card in process — the mock host for site developers
 * without a reader or pcscd. The state is loaded from FILE at every operation (so `virtual-card
 * reset-pins` in another terminal takes effect) and written back atomically on every change of
 * counters, locks or PINs. The card module (and its crypto) is loaded on first use only.
 */
import { resolve } from 'node:path';
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { CardBackend } from './backend.ts';
import { singleCardBackend } from './single-card-backend.ts';

export const VIRTUAL_READER_NAME = 'jpki-bridge virtual card (in process)';

export function createVirtualBackend(file: string): CardBackend {
  const stateFile = resolve(file);
  return singleCardBackend(VIRTUAL_READER_NAME, async () => {
    const { VirtualJpkiCard, loadCardState, saveCardStateSync } = await import('../virtual-card/index.ts');
    let state;
    try {
      state = await loadCardState(stateFile);
    } catch (error) {
      // No (readable) state file is "no card in the reader" for this backend.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new JpkiError('ERR_JPKI_CARD_ERROR', `the virtual card state ${stateFile} is unreadable`);
    }
    const virtual = new VirtualJpkiCard(state, { onStateChange: (changed) => saveCardStateSync(stateFile, changed) });
    return {
      transport: { transmit: async (apdu) => virtual.transmit(apdu) },
      // The SCARD_RESET_CARD of the PC/SC backend: no VERIFY outlives the operation.
      release: () => virtual.reset(),
    };
  });
}
