/**
 * A card backend gives the commands every reader and, for each reader holding a JPKI card, a
 * `JpkiCard` held exclusively for the duration of `withReaders`. Releasing resets every card
 * on which a VERIFY was attempted, so that no verified state outlives the operation.
 */
import type { JpkiCard } from './jpki-card.ts';

export interface ReaderSlot {
  name: string;
  cardPresent: boolean;
  /** The JPKI applet, selected and held exclusively; null when absent or not a JPKI card. */
  card: JpkiCard | null;
  /** A card is present but another process holds it (PC/SC sharing violation) even after waiting. */
  busy: boolean;
}

export interface CardBackend {
  /**
   * Opens every reader, runs `fn` with the slots, then releases them all (resetting any card a
   * VERIFY touched), whatever `fn` did. `mode: 'one'` stops waiting for busy readers as soon as
   * one JPKI card is in hand.
   */
  withReaders<T>(fn: (slots: ReaderSlot[]) => Promise<T>, mode: 'all' | 'one'): Promise<T>;
  /** Frees native resources (contexts, threads) so the process can exit. */
  close(): Promise<void>;
}
