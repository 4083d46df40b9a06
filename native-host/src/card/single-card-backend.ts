/**
 * A backend with one reader and one card reached through any CardTransport: the in-process
 * virtual card, and unit tests' scripted or recording transports. Operations are serialised
 * (one card, one selection state) and `release` is told whether a VERIFY was attempted, which
 * is when the PC/SC backend resets the card.
 */
import type { CardBackend, ReaderSlot } from './backend.ts';
import { JpkiCard } from './jpki-card.ts';
import type { CardTransport } from './transport.ts';

export interface OpenedCard {
  transport: CardTransport;
  release(verifyAttempted: boolean): void | Promise<void>;
}

export function singleCardBackend(readerName: string, open: () => Promise<OpenedCard | null>): CardBackend {
  let queue: Promise<unknown> = Promise.resolve();
  const run = async <T>(fn: (slots: ReaderSlot[]) => Promise<T>): Promise<T> => {
    const opened = await open();
    if (!opened) return fn([{ name: readerName, cardPresent: false, card: null, busy: false }]);
    const card = new JpkiCard(opened.transport);
    try {
      let isJpki = true;
      try {
        await card.selectAp();
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_JPKI_NOT_JPKI_CARD') throw error;
        isJpki = false;
      }
      return await fn([{ name: readerName, cardPresent: true, card: isJpki ? card : null, busy: false }]);
    } finally {
      await opened.release(card.verifyAttempted);
    }
  };
  return {
    withReaders<T>(fn: (slots: ReaderSlot[]) => Promise<T>): Promise<T> {
      const result = queue.then(() => run(fn));
      queue = result.catch(() => {});
      return result;
    },
    async close() {},
  };
}
