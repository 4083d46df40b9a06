/**
 * Promise wrappers over one pcsclite CardReader: connect, transmit, disconnect. Raw pcsclite
 * errors are passed on untouched; pcsc-errors.ts alone turns them into wire error codes.
 */
import { loadPcsc, type NativeCardReader, PROTOCOL_T0, PROTOCOL_T1, SHARE_EXCLUSIVE } from './pcsc-binding.ts';

const MAX_RESPONSE = 4096;

/**
 * pcsclite's CardReader leaves `m_status_thread` uninitialised unless get_status() ran, and both
 * its close() and its C++ destructor (run when the GC collects it) then assert on joining that
 * garbage thread id and abort the process. So we never call close() and never let one be
 * collected: every CardReader ever made is pinned here. There is one per reader and role per
 * pcscd context generation — a handful in a host's lifetime.
 */
const PINNED: NativeCardReader[] = [];

export function newCardReader(name: string): NativeCardReader {
  const reader = new (loadPcsc().CardReader)(name);
  PINNED.push(reader);
  return reader;
}

/** SCARD_STATE_* flags of a reader state (pcsclite.h). */
export const STATE_EXCLUSIVE = 0x0080;
export const STATE_INUSE = 0x0100;
const STATE_TIMEOUT_MS = 1000;

/**
 * The reader's state flags now, or null when pcscd does not say within a second: a throwaway
 * CardReader whose status thread (SCardGetStatusChange from "unaware") answers at once, then is
 * closed. Closed after its status thread ran, a CardReader is safe to close and to collect (see
 * PINNED), so this one is not pinned. Only for describing a busy card: it costs a thread and a
 * pcscd context.
 */
export function readerState(name: string): Promise<number | null> {
  const reader = new (loadPcsc().CardReader)(name);
  return new Promise((resolve) => {
    let done = false;
    const finish = (state: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // close() joins the status thread: only once the callback has left it (next tick).
      setImmediate(() => {
        try {
          reader.close();
        } catch {}
        resolve(state);
      });
    };
    const timer = setTimeout(() => finish(null), STATE_TIMEOUT_MS);
    try {
      reader.get_status((error, state) => finish(error || state === undefined ? null : state));
    } catch {
      // No status thread was started: closing would abort (see PINNED).
      done = true;
      clearTimeout(timer);
      PINNED.push(reader);
      resolve(null);
    }
  });
}

/** One connect attempt: the protocol, or the raw pcsclite error. */
export function connect(reader: NativeCardReader, share = SHARE_EXCLUSIVE): Promise<number> {
  return new Promise((resolve, reject) => {
    reader._connect(share, PROTOCOL_T0 | PROTOCOL_T1, (error, protocol) => (error ? reject(error) : resolve(protocol)));
  });
}

/** Never fails: a card already gone is not an error when letting go of it. */
export function disconnect(reader: NativeCardReader, disposition: number): Promise<void> {
  return new Promise((resolve) => {
    if (!reader.connected) return resolve();
    try {
      reader._disconnect(disposition, () => resolve());
    } catch {
      resolve();
    }
  });
}

export function transmit(reader: NativeCardReader, protocol: number, apdu: Uint8Array): Promise<Uint8Array> {
  const copy = Buffer.from(apdu); // pcsclite wants a Buffer; wiped once sent (it may hold a PIN)
  return new Promise((resolve, reject) => {
    reader._transmit(copy, MAX_RESPONSE, protocol, (error, response) => {
      copy.fill(0);
      if (error) reject(error);
      else resolve(new Uint8Array(response.buffer, response.byteOffset, response.length));
    });
  });
}
