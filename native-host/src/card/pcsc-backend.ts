/**
 * The PC/SC backend over `pcsclite`. Every reader is opened with SCARD_SHARE_EXCLUSIVE for the
 * whole operation — from the first SELECT, through VERIFY, to the last signature — so no other
 * process can interleave APDUs or ride on our VERIFY; a card on which a VERIFY was attempted is
 * released with SCARD_RESET_CARD so the verified state does not linger (§7). A context that
 * pcscd no longer knows (it restarted) is dropped and re-established once, before any card contact.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { CardBackend, ReaderSlot } from './backend.ts';
import { Apdu } from './apdu.ts';
import { JpkiCard } from './jpki-card.ts';
import {
  LEAVE_CARD,
  loadPcsc,
  type NativeCardReader,
  type NativePcscLite,
  PROTOCOL_T0,
  PROTOCOL_T1,
  RESET_CARD,
  SHARE_EXCLUSIVE,
} from './pcsc-binding.ts';
import { connectOutcome, isContextLost, mapPcscError, needsPresenceCheck, pcscCode, SCARD } from './pcsc-errors.ts';

export interface PcscBackendOptions {
  /** How long to wait for a card another process holds exclusively before ERR_JPKI_CARD_BUSY. */
  busyWaitMs?: number;
}

const LIST_TIMEOUT_MS = 3000;
const BUSY_RETRY_MS = 50;
/** After an ambiguous transmit failure, how long to watch for pcscd noticing a pulled card. */
const PRESENCE_WATCH_MS = 1500;
const MAX_RESPONSE = 4096;

interface Generation {
  pcsc: NativePcscLite;
  names: Promise<string[]>;
  latest: string[] | null;
  dead: boolean;
  readers: Map<string, NativeCardReader>;
}

interface Held {
  reader: NativeCardReader;
  protocol: number;
  card: JpkiCard;
}

export function createPcscBackend(options: PcscBackendOptions = {}): CardBackend {
  const busyWaitMs = options.busyWaitMs ?? Number(process.env.JPKI_BRIDGE_BUSY_WAIT_MS ?? 5000);
  let generation: Generation | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  function open(): Generation {
    if (generation && !generation.dead) return generation;
    drop();
    const { PCSCLite } = loadPcsc();
    let pcsc: NativePcscLite;
    try {
      pcsc = new PCSCLite(); // SCardEstablishContext: throws at once when pcscd is not there
    } catch (error) {
      throw mapPcscError(error, 'establish');
    }
    const current: Generation = { pcsc, names: Promise.resolve([]), latest: null, dead: false, readers: new Map() };
    current.names = new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new JpkiError('ERR_JPKI_PCSC_UNAVAILABLE', 'pcscd did not list its readers')), LIST_TIMEOUT_MS);
      pcsc.start((error, data) => {
        clearTimeout(timer);
        if (error) {
          current.dead = true; // the status thread has stopped; the next operation starts afresh
          reject(mapPcscError(error, 'list'));
          return;
        }
        current.latest = parseReaderNames(data);
        resolve(current.latest);
      });
    });
    current.names.catch(() => {});
    generation = current;
    return current;
  }

  function drop(): void {
    const old = generation;
    generation = null;
    if (!old) return;
    old.dead = true;
    try {
      old.pcsc.close();
    } catch {}
  }

  async function readerNames(current: Generation): Promise<string[]> {
    return current.latest ?? (await current.names);
  }

  function readerFor(current: Generation, name: string, role: 'use' | 'probe' = 'use'): NativeCardReader {
    const key = `${role}:${name}`;
    let reader = current.readers.get(key);
    if (!reader) {
      reader = newCardReader(name);
      current.readers.set(key, reader);
    }
    return reader;
  }

  /** One exclusive connect attempt: the protocol, or the raw pcsclite error. */
  function connect(reader: NativeCardReader, share = SHARE_EXCLUSIVE): Promise<number> {
    return new Promise((resolve, reject) => {
      reader._connect(share, PROTOCOL_T0 | PROTOCOL_T1, (error, protocol) => (error ? reject(error) : resolve(protocol)));
    });
  }

  function disconnect(reader: NativeCardReader, disposition: number): Promise<void> {
    return new Promise((resolve) => {
      if (!reader.connected) return resolve();
      try {
        reader._disconnect(disposition, () => resolve()); // a card already gone is not an error here
      } catch {
        resolve();
      }
    });
  }

  function transmitRaw(reader: NativeCardReader, protocol: number, apdu: Uint8Array): Promise<Uint8Array> {
    const copy = Buffer.from(apdu); // pcsclite wants a Buffer; wiped once sent (it may hold a PIN)
    return new Promise((resolve, reject) => {
      reader._transmit(copy, MAX_RESPONSE, protocol, (error, response) => {
        copy.fill(0);
        if (error) reject(error);
        else resolve(new Uint8Array(response.buffer, response.byteOffset, response.length));
      });
    });
  }

  /**
   * After a failed exchange: is the card still in the reader? Our own exclusive handle is let go
   * first — while it is open pcscd answers any other connect with a sharing violation, card or no
   * card — with LEAVE, not RESET: resetting a card that is gone wedges the vpcd reader, and a card
   * that is still there gets its reset below. Then a second handle asks, for as long as pcscd may
   * take to notice a pulled card (it polls): "present" only when the card answers an APDU.
   */
  async function cardGone(current: Generation, reader: NativeCardReader): Promise<boolean> {
    await disconnect(reader, LEAVE_CARD);
    const deadline = Date.now() + PRESENCE_WATCH_MS;
    const probe = readerFor(current, reader.name, 'probe');
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
      const answer = await transmitRaw(probe, protocol, Apdu.selectAp()).catch(() => new Uint8Array(0));
      // Present: reset it (our VERIFY may have gone through) and say so.
      await disconnect(probe, answer.length >= 2 ? RESET_CARD : LEAVE_CARD);
      if (answer.length >= 2) return false;
      await sleep(100);
    }
    return true; // no answer for the whole watch: as good as gone
  }

  function transportFor(current: Generation, reader: NativeCardReader, protocol: number) {
    return {
      async transmit(apdu: Uint8Array): Promise<Uint8Array> {
        let response: Uint8Array;
        try {
          response = await transmitRaw(reader, protocol, apdu);
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

  /** Connects one reader and SELECTs the applet. Raw pcsclite errors escape for the caller to judge. */
  async function probe(current: Generation, name: string, held: Held[]): Promise<ReaderSlot> {
    const reader = readerFor(current, name);
    let protocol: number;
    try {
      protocol = await connect(reader);
    } catch (error) {
      const outcome = connectOutcome(error);
      if (outcome === 'no-card') return { name, cardPresent: false, card: null, busy: false };
      if (outcome === 'busy') return { name, cardPresent: true, card: null, busy: true };
      throw error;
    }
    const card = new JpkiCard(transportFor(current, reader, protocol));
    held.push({ reader, protocol, card });
    try {
      await card.selectAp();
      return { name, cardPresent: true, card, busy: false };
    } catch (error) {
      if (error instanceof JpkiError && error.code === 'ERR_JPKI_NOT_JPKI_CARD') return { name, cardPresent: true, card: null, busy: false };
      throw error;
    }
  }

  async function attempt<T>(fn: (slots: ReaderSlot[]) => Promise<T>, mode: 'all' | 'one'): Promise<T> {
    const current = open();
    const names = await readerNames(current);
    const held: Held[] = [];
    try {
      const slots: ReaderSlot[] = [];
      for (const name of names) slots.push(await probe(current, name, held));
      // Readers another process holds: wait for them (it may be our own other host), unless
      // a one-card command already has its JPKI card in hand.
      const deadline = Date.now() + busyWaitMs;
      while (slots.some((s) => s.busy) && !(mode === 'one' && slots.some((s) => s.card)) && Date.now() < deadline) {
        await sleep(BUSY_RETRY_MS);
        for (let i = 0; i < slots.length; i++) if (slots[i]!.busy) slots[i] = await probe(current, slots[i]!.name, held);
      }
      return await fn(slots);
    } finally {
      for (const { reader, card } of held) await disconnect(reader, card.verifyAttempted ? RESET_CARD : LEAVE_CARD);
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

/**
 * pcsclite's CardReader leaves `m_status_thread` uninitialised unless get_status() ran, and both
 * its close() and its C++ destructor (run when the GC collects it) then assert on joining that
 * garbage thread id and abort the process. So we never call close() and never let one be
 * collected: every CardReader ever made is pinned here. There is one per reader and role per
 * pcscd context generation — a handful in a host's lifetime.
 */
const PINNED: NativeCardReader[] = [];

function newCardReader(name: string): NativeCardReader {
  const reader = new (loadPcsc().CardReader)(name);
  PINNED.push(reader);
  return reader;
}

function parseReaderNames(data: Buffer | undefined): string[] {
  if (!data || data.length === 0) return [];
  return data
    .toString('utf8')
    .split('\0')
    .filter((name) => name.length > 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
