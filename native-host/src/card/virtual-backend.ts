/**
 * `--card virtual:FILE`: the virtual JPKI card in process — the mock host for site developers
 * without a reader or pcscd. The state is loaded from FILE at every operation (so `virtual-card
 * reset-pins` in another terminal takes effect) and written back atomically on every change of
 * counters, locks or PINs. The card module (and its crypto) is loaded on first use only.
 */
import { resolve } from 'node:path';
import type { CardBackend, ReaderSlot } from './backend.ts';
import { JpkiCard } from './jpki-card.ts';

export const VIRTUAL_READER_NAME = 'jpki-bridge virtual card (in process)';

export function createVirtualBackend(file: string): CardBackend {
  const stateFile = resolve(file);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    withReaders<T>(fn: (slots: ReaderSlot[]) => Promise<T>): Promise<T> {
      // One operation at a time: the in-process card has one selection state, like a real one.
      const run = async () => {
        const { VirtualJpkiCard, loadCardState, saveCardStateSync } = await import('../virtual-card/index.ts');
        const state = await loadCardState(stateFile);
        const virtual = new VirtualJpkiCard(state, { onStateChange: (changed) => saveCardStateSync(stateFile, changed) });
        const card = new JpkiCard({ transmit: async (apdu) => virtual.transmit(apdu) });
        let isJpki = true;
        try {
          await card.selectAp();
        } catch {
          isJpki = false;
        }
        try {
          return await fn([{ name: VIRTUAL_READER_NAME, cardPresent: true, card: isJpki ? card : null, busy: false }]);
        } finally {
          virtual.reset(); // the SCARD_RESET_CARD of the PC/SC backend: no VERIFY outlives the operation
        }
      };
      const result = queue.then(run, run);
      queue = result.catch(() => {});
      return result;
    },
    async close() {},
  };
}
