/**
 * The browserless card's session controls (in-process-card.ts): the card on or off its reader,
 * the reader there or not, the host running, crashed or never installed. Each is applied where
 * the real thing would act — the card and the reader in the backend the host's commands use, so
 * the commands answer ERR_JPKI_NO_CARD / ERR_JPKI_NO_READER themselves; the host in front of the
 * commands, with the error a page gets when its host is gone: ERR_JPKI_NATIVE_UNAVAILABLE with the
 * code's own text (the browser's reason stays in the extension: page-error.ts).
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { CardBackend } from '../../native-host/src/card/backend.ts';
import type { Without } from './without.ts';

export interface Presence {
  /** The card leaves its reader / comes back (same state: counters stay as they are). */
  pull(): void;
  insert(): void;
  /** The host process dies (as a crash would): see `beforeCommand`. */
  stopHost(): void;
  /** Is the card on its reader (what the backend's open() asks)? */
  readonly cardInserted: boolean;
  /** The backend as the host sees it: no reader at all while `without: 'reader'`. */
  backend(inner: CardBackend): CardBackend;
  /**
   * Before each command. With no host installed every call fails; after stopHost() the next call
   * fails as the call the host died under does, and the one after starts a new host, as the
   * extension starts one per operation.
   */
  beforeCommand(): void;
}

export function createPresence(without: Without | undefined): Presence {
  let inserted = without !== 'card';
  let crashed = false;
  return {
    pull: () => {
      inserted = false;
    },
    insert: () => {
      inserted = true;
    },
    stopHost: () => {
      crashed = true;
    },
    get cardInserted() {
      return inserted;
    },
    backend: (inner) => (without === 'reader' ? { withReaders: (fn) => fn([]), close: () => inner.close() } : inner),
    beforeCommand: () => {
      if (without !== 'host' && !crashed) return;
      crashed = false; // the next call starts a new host
      throw new JpkiError('ERR_JPKI_NATIVE_UNAVAILABLE');
    },
  };
}
