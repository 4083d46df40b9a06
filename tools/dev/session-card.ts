/**
 * A testing-kit session's card on its reader or off it, on either path, and what the host is told
 * (`--card`), so that each control acts where a resident's would:
 *
 * - `pcsc`: the card is served into a vpcd reader behind pcscd (virtual-card.ts); pulling it ends
 *   its `serve`, as a card leaving the reader ends its contact, and pcscd sees it go.
 * - `mock`: the host reads the card's state file at every operation (virtual-backend.ts), and a
 *   missing file is "no card in the reader" there: pulling moves the file aside, which the host
 *   sees from its next operation on.
 * - `without: 'reader'` (pcsc only): pcscd runs, and the host is told to use a reader that is not
 *   plugged in (`--card pcsc:NAME`, the option that keeps it off other readers): its own reader
 *   listing finds none and it answers ERR_JPKI_NO_READER. vpcd's readers cannot be unplugged
 *   while pcscd runs, and a second pcscd without them would need root; the mock host always has
 *   its one in-process reader.
 */
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCardState, saveCardState, type VirtualCardState } from '../../native-host/src/virtual-card/index.ts';
import { withPcsc } from './pcsc-client.ts';
import { ensurePcscd } from './pcscd.ts';
import { serveCard } from './virtual-card.ts';
import type { Without } from './without.ts';

/** The one path the session's card takes: a vpcd reader behind pcscd, or inside the host. */
export type CardPath = 'pcsc' | 'mock';

/** The reader the host looks for in a session without one: no such reader is plugged in. */
export const UNPLUGGED_READER = 'jpki-bridge testing: no reader plugged in';

export interface SessionCard {
  /** The host's `--card`. */
  hostCard: string;
  /** The card leaves its reader; resolves when the host would find it gone. */
  pull(): Promise<void>;
  /** The same card (its PIN counters as they were) back on the reader, powered up anew. */
  insert(): Promise<void>;
  /** Takes the card out, makes `next(the card's state now)` the card, and puts that one in. */
  replace(next: (current: VirtualCardState) => Promise<VirtualCardState>): Promise<VirtualCardState>;
  stop(): Promise<void>;
}

export async function sessionCard(path: CardPath, stateFile: string, without: Without | undefined): Promise<SessionCard> {
  if (path === 'mock') {
    if (without === 'reader') throw new Error("without: 'reader' needs card: 'pcsc' (pcscd and vpcd): the mock host always has its one in-process reader");
    const aside = `${stateFile}.pulled`;
    let inserted = true;
    const card: SessionCard = {
      hostCard: `virtual:${stateFile}`,
      pull: async () => {
        if (inserted) await rename(stateFile, aside);
        inserted = false;
      },
      insert: async () => {
        // A host operation running at the pull writes its counters back to the file's own name:
        // that copy is the newer one (the pull only takes effect from the host's next operation).
        if (!inserted) await (existsSync(stateFile) ? rm(aside) : rename(aside, stateFile));
        inserted = true;
      },
      // The host reads the file at each operation: writing the new card over it is the swap.
      replace: async (next) => {
        const state = await next(await loadCardState(inserted || existsSync(stateFile) ? stateFile : aside));
        await saveCardState(stateFile, state);
        await rm(aside, { force: true });
        inserted = true;
        return state;
      },
      stop: async () => {},
    };
    if (without === 'card') await card.pull();
    return card;
  }
  const pcscd = await ensurePcscd();
  if (without === 'reader') {
    const noReader = async () => {
      throw new Error("this session has no reader (without: 'reader'): there is nothing to put a card on");
    };
    return { hostCard: `pcsc:${UNPLUGGED_READER}`, pull: noReader, insert: noReader, replace: noReader, stop: () => pcscd.stop() };
  }
  try {
    const served = await serveCard({ stateFile });
    const pull = async () => {
      await served.pull();
      await refusesConnects(served.readerName);
    };
    if (without === 'card') await pull();
    return {
      // The one reader the card was served into: a real card in another reader never gets the virtual PINs.
      hostCard: `pcsc:${served.readerName}`,
      pull,
      insert: () => served.insert(),
      replace: async (next) => {
        // Pulled before the file changes: `serve` writes its counters back to the same file.
        await pull();
        const state = await next(await loadCardState(stateFile));
        await saveCardState(stateFile, state);
        await served.insert();
        return state;
      },
      stop: async () => {
        try {
          await served.stop();
        } finally {
          await pcscd.stop();
        }
      },
    };
  } catch (error) {
    await pcscd.stop();
    throw error;
  }
}

/**
 * After vpcd's card leaves, pcscd reports the reader empty, yet for a few hundred milliseconds a
 * connect may still be granted (the host's SELECT then fails, and it answers ERR_JPKI_CARD_REMOVED
 * instead of ERR_JPKI_NO_CARD). A pulled card is pulled for good once connects are refused: wait
 * for two refusals in a row, so that the next call sees no card, every time.
 */
async function refusesConnects(readerName: string, timeoutMs = 5_000): Promise<void> {
  await withPcsc(async (client) => {
    // A new client learns the readers from pcsclite's events: an unknown reader is no refusal.
    await client.waitFor(`"${readerName}" listed`, () => client.readerNames().includes(readerName), timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (let refused = 0; refused < 2; await sleep(100)) {
      refused = (await client.connects(readerName)) ? 0 : refused + 1;
      if (Date.now() > deadline) throw new Error(`"${readerName}" still accepts connects ${timeoutMs} ms after its card was pulled`);
    }
  });
}
