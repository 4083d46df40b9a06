/**
 * The PC/SC backend over `pcsclite`. Every reader is opened with SCARD_SHARE_EXCLUSIVE for the
 * whole operation — from the first SELECT, through VERIFY, to the last signature — so no other
 * process can interleave APDUs or ride on our VERIFY; a card on which a VERIFY was attempted is
 * released with SCARD_RESET_CARD so the verified state does not linger (docs/ARCHITECTURE.md).
 * The exclusive connection is pcscd's lock on the card: should this process die mid-operation,
 * pcscd resets a card whose lock holder went away, so a verified state never reaches the next
 * program that way either. Waiting for a card someone else uses is fair and bounded
 * (pcsc-sharing.ts: why not pcscd transactions, how a neighbour's gap is found, why a survey
 * leaves one). A context that pcscd no longer knows (it restarted) is dropped and re-established
 * once, before any card contact.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { Apdu } from './apdu.ts';
import type { CardBackend, ReaderSlot } from './backend.ts';
import { JpkiCard } from './jpki-card.ts';
import { LEAVE_CARD, type NativeCardReader, RESET_CARD, SHARE_EXCLUSIVE } from './pcsc-binding.ts';
import { PcscContext } from './pcsc-context.ts';
import { connectOutcome, isContextLost, mapPcscError, needsPresenceCheck, pcscCode, SCARD } from './pcsc-errors.ts';
import { connect, disconnect, transmit } from './pcsc-reader.ts';
import { cardBusyError, ReaderSharing, sleep } from './pcsc-sharing.ts';
import type { CardTransport } from './transport.ts';

export interface PcscBackendOptions {
  /** How long to wait for a card another program holds before ERR_JPKI_CARD_BUSY. */
  busyWaitMs?: number;
  /** Use this reader (exact PC/SC name) only; the others are never touched (create-backend.ts). */
  reader?: string;
}

/** The bound on waiting for a card another program holds (docs/ARCHITECTURE.md, "Busy"). */
const BUSY_WAIT_MS = 8000;
/** After an ambiguous transmit failure, how long to watch for pcscd noticing a pulled card. */
const PRESENCE_WATCH_MS = 1500;

interface Held {
  reader: NativeCardReader;
  card: JpkiCard;
}

/** A reader as surveyed; `stuck`: busy because our connect waited in pcscd until the deadline. */
interface Probed {
  slot: ReaderSlot;
  stuck: boolean;
}

export function createPcscBackend(options: PcscBackendOptions = {}): CardBackend {
  const busyWaitMs = options.busyWaitMs ?? Number(process.env.JPKI_BRIDGE_BUSY_WAIT_MS ?? BUSY_WAIT_MS);
  const sharing = new ReaderSharing();
  let context: PcscContext | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const open = (): PcscContext => {
    if (context && !context.dead) return context;
    drop();
    context = PcscContext.establish();
    return context;
  };
  const drop = () => {
    context?.close();
    context = null;
  };

  /**
   * After a failed exchange: is the card still in the reader? Our own exclusive handle is let go
   * first — while it is open pcscd answers any other connect with a sharing violation, card or no
   * card — with LEAVE, not RESET: resetting a card that is gone wedges the vpcd reader, and a card
   * that is still there gets its reset below. Then a second handle asks, for as long as pcscd may
   * take to notice a pulled card (it polls): "present" only when the card answers an APDU.
   */
  async function cardGone(current: PcscContext, reader: NativeCardReader): Promise<boolean> {
    await disconnect(reader, LEAVE_CARD);
    const deadline = Date.now() + PRESENCE_WATCH_MS;
    const probe = current.reader(reader.name, 'probe');
    while (Date.now() < deadline) {
      let protocol: number;
      try {
        protocol = await connect(probe, SHARE_EXCLUSIVE);
      } catch (error) {
        const outcome = connectOutcome(error);
        if (outcome === 'no-card') return true;
        if (outcome === 'busy' || isContextLost(error)) return false; // someone else has it: present
        await sleep(100);
        continue;
      }
      const answer = await transmit(probe, protocol, Apdu.selectAp()).catch(() => new Uint8Array(0));
      // Present: reset it (our VERIFY may have gone through) and say so.
      await disconnect(probe, answer.length >= 2 ? RESET_CARD : LEAVE_CARD);
      if (answer.length >= 2) return false;
      await sleep(100);
    }
    return true; // no answer for the whole watch: as good as gone
  }

  function transportFor(current: PcscContext, reader: NativeCardReader, protocol: number): CardTransport {
    return {
      async transmit(apdu: Uint8Array): Promise<Uint8Array> {
        let response: Uint8Array;
        try {
          response = await transmit(reader, protocol, apdu);
        } catch (error) {
          if (isContextLost(error) && pcscCode(error) !== SCARD.E_INVALID_HANDLE) current.dead = true;
          if (needsPresenceCheck(error) && (await cardGone(current, reader))) throw new JpkiError('ERR_JPKI_CARD_REMOVED', (error as Error).message);
          const mapped = mapPcscError(error, 'transmit');
          // A card that is gone is let go as it is: a RESET sent to it wedges the vpcd reader.
          if (mapped.code === 'ERR_JPKI_CARD_REMOVED') await disconnect(reader, LEAVE_CARD);
          throw mapped;
        }
        // No status word at all: the reader lost the card mid-exchange (vpcd answers an empty
        // response when the card's socket closes). Ask the reader before blaming the card.
        if (response.length < 2) {
          if (await cardGone(current, reader)) throw new JpkiError('ERR_JPKI_CARD_REMOVED', 'the card stopped answering');
          throw new JpkiError('ERR_JPKI_CARD_ERROR', 'the card answered without a status word');
        }
        return response;
      },
    };
  }

  /** Connects one reader (one attempt) and SELECTs the applet. Raw pcsclite errors escape for the caller to judge. */
  async function probe(current: PcscContext, name: string, held: Held[], deadline: number): Promise<Probed> {
    const tried = await sharing.attempt(current, name, deadline);
    if (tried.outcome === 'no-card') return { slot: { name, cardPresent: false, card: null, busy: false }, stuck: false };
    if (tried.outcome === 'busy') return { slot: { name, cardPresent: true, card: null, busy: true }, stuck: tried.stuck };
    const card = new JpkiCard(transportFor(current, tried.reader, tried.protocol));
    held.push({ reader: tried.reader, card });
    try {
      await card.selectAp();
      return { slot: { name, cardPresent: true, card, busy: false }, stuck: false };
    } catch (error) {
      if (error instanceof JpkiError && error.code === 'ERR_JPKI_NOT_JPKI_CARD')
        return { slot: { name, cardPresent: true, card: null, busy: false }, stuck: false };
      throw error;
    }
  }

  async function attempt<T>(fn: (slots: ReaderSlot[]) => Promise<T>, mode: 'all' | 'one'): Promise<T> {
    const current = open();
    const names = (await current.readerNames()).filter((name) => options.reader === undefined || name === options.reader);
    // A survey ('all': `status`) is what neighbours poll: it always leaves them a gap first.
    await sharing.turn(mode === 'all');
    const started = Date.now();
    const deadline = started + busyWaitMs;
    const held: Held[] = [];
    try {
      // A first look at every reader, none waited for (a connect held back in pcscd is picked up
      // again below): a one-card command must not sit behind one reader while another has its card.
      const probed: Probed[] = [];
      for (const name of names) probed.push(await probe(current, name, held, started));
      // Readers another program holds: try again until it lets go (it may be our own other
      // host), unless a one-card command already has its JPKI card in hand.
      const inHand = () => probed.some((p) => p.slot.card);
      while (probed.some((p) => p.slot.busy) && !(mode === 'one' && inHand()) && Date.now() < deadline) {
        await sleep(Math.min(sharing.retryDelay(), deadline - Date.now()));
        for (let i = 0; i < probed.length; i++) if (probed[i]!.slot.busy) probed[i] = await probe(current, probed[i]!.slot.name, held, deadline);
      }
      // No JPKI card, and a reader still held by someone else: that is the answer, whoever asked.
      if (!inHand() && probed.some((p) => p.slot.busy)) {
        const busy = probed.filter((p) => p.slot.busy).map((p) => ({ name: p.slot.name, stuck: p.stuck }));
        throw await cardBusyError(busy, Date.now() - started);
      }
      return await fn(probed.map((p) => p.slot));
    } finally {
      for (const { reader, card } of held) await disconnect(reader, card.verifyAttempted ? RESET_CARD : LEAVE_CARD);
      if (held.length > 0) sharing.released();
    }
  }

  async function run<T>(fn: (slots: ReaderSlot[]) => Promise<T>, mode: 'all' | 'one'): Promise<T> {
    try {
      return await attempt(fn, mode);
    } catch (error) {
      // pcscd restarted since our context was made: its handles are void. Start over once —
      // only errors from listing/connecting land here raw, i.e. before any APDU was sent.
      if (!(error instanceof JpkiError) && isContextLost(error)) {
        drop();
        try {
          return await attempt(fn, mode);
        } catch (again) {
          if (!(again instanceof JpkiError) && isContextLost(again)) drop();
          throw mapPcscError(again, 'connect');
        }
      }
      if (error instanceof JpkiError && error.code === 'ERR_JPKI_PCSC_UNAVAILABLE') drop();
      throw mapPcscError(error, 'connect');
    }
  }

  return {
    withReaders<T>(fn: (slots: ReaderSlot[]) => Promise<T>, mode: 'all' | 'one'): Promise<T> {
      // One operation at a time per host process (the browser's messages are sequential anyway).
      const result = queue.then(() => run(fn, mode));
      queue = result.catch(() => {});
      return result;
    },
    async close() {
      drop();
    },
  };
}
