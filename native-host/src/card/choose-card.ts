/**
 * Which card a command uses: the only JPKI card. Zero → the most specific reason; several →
 * ERR_JPKI_CARD_ERROR naming the readers (decision in docs/DECISIONS.md: a command never guesses
 * which of two residents' cards to use).
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { CardBackend, ReaderSlot } from './backend.ts';
import type { JpkiCard } from './jpki-card.ts';

export function onlyJpkiCard(slots: ReaderSlot[]): JpkiCard {
  const jpki = slots.filter((slot) => slot.card !== null);
  if (jpki.length === 1) return jpki[0]!.card!;
  if (jpki.length > 1) {
    throw new JpkiError(
      'ERR_JPKI_CARD_ERROR',
      `several My Number cards are present (${jpki.map((s) => s.name).join(', ')}); leave only one in a reader / カードを1枚だけにしてください`,
    );
  }
  if (slots.length === 0) throw new JpkiError('ERR_JPKI_NO_READER');
  if (slots.some((slot) => slot.busy)) throw new JpkiError('ERR_JPKI_CARD_BUSY');
  if (slots.some((slot) => slot.cardPresent)) throw new JpkiError('ERR_JPKI_NOT_JPKI_CARD');
  throw new JpkiError('ERR_JPKI_NO_CARD');
}

/** Runs `fn` on the only JPKI card, held exclusively and reset afterwards if a VERIFY was attempted. */
export function withJpkiCard<T>(backend: CardBackend, fn: (card: JpkiCard) => Promise<T>): Promise<T> {
  return backend.withReaders((slots) => fn(onlyJpkiCard(slots)), 'one');
}
