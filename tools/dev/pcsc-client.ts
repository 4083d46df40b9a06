/**
 * A tiny PC/SC client for tests of the virtual card (pcsclite, the same addon the product uses).
 * Not the product's driver — that lives in native-host/src/card/. pcsclite is callback/event
 * based; this wraps just what tests need in promises: watch readers, connect, transmit, close.
 */
import pcsclite from 'pcsclite';

type PCSCLite = ReturnType<typeof pcsclite>;
// pcsclite's typings do not export CardReader; it is what the last `on` overload ('reader') hands out.
type CardReader = Parameters<Parameters<PCSCLite['on']>[1]>[0];

const SCARD_STATE_PRESENT = 0x20;
/** How long pcsclite's threads must have reported nothing before close() (see there). */
const QUIET_BEFORE_CLOSE_MS = 100;

export interface CardConnection {
  readonly readerName: string;
  /** Sends a command APDU (hex, spaces allowed) and returns the response hex (lowercase, with SW). */
  transmit(hex: string): Promise<string>;
  transmitBytes(apdu: Uint8Array): Promise<Uint8Array>;
  /** 'reset' = warm reset on disconnect (clears the card's security status). */
  disconnect(disposition?: 'leave' | 'reset' | 'unpower'): Promise<void>;
}

export class PcscClient {
  private readonly readers = new Map<string, CardReader>();
  private readonly present = new Map<string, boolean>();
  private readonly atrs = new Map<string, string>();
  private readonly waiters = new Set<() => void>();
  private lastError: unknown = null;
  private closed = false;
  /** When pcsclite last reported something (its threads were awake then: see close()). */
  private lastEventAt = 0;

  private constructor(private readonly pcsc: PCSCLite) {
    pcsc.on('error', (error: unknown) => {
      this.lastError = error;
      this.notify();
    });
    pcsc.on('reader', (reader: CardReader) => {
      this.readers.set(reader.name, reader);
      reader.on('error', (error: unknown) => {
        this.lastError = error;
      });
      reader.on('status', (status: { state: number; atr?: Buffer }) => {
        this.present.set(reader.name, (status.state & SCARD_STATE_PRESENT) !== 0);
        if (status.atr?.length) this.atrs.set(reader.name, status.atr.toString('hex'));
        else this.atrs.delete(reader.name);
        this.notify();
      });
      reader.on('end', () => {
        this.readers.delete(reader.name);
        this.present.delete(reader.name);
        this.atrs.delete(reader.name);
        this.notify();
      });
      this.notify();
    });
  }

  static open(): PcscClient {
    return new PcscClient(pcsclite());
  }

  readerNames(): string[] {
    return [...this.readers.keys()];
  }

  /** The ATR of the card in `readerName` (lowercase hex), as PC/SC last reported it. */
  atr(readerName: string): string | undefined {
    return this.atrs.get(readerName);
  }

  isCardPresent(readerName: string): boolean {
    return this.present.get(readerName) === true;
  }

  /** Resolves once `predicate` holds for the observed reader/card state, else rejects after timeoutMs. */
  async waitFor(description: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const cause = this.lastError ? ` (last PC/SC error: ${String(this.lastError)})` : '';
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  waitForCard(readerName: string, present: boolean, timeoutMs = 10_000): Promise<void> {
    return this.waitFor(
      `card ${present ? 'present in' : 'gone from'} "${readerName}"`,
      () => (present ? this.isCardPresent(readerName) : this.readers.has(readerName) && !this.isCardPresent(readerName)),
      timeoutMs,
    );
  }

  /**
   * Does a connect to `readerName` succeed right now (no waiting for a card)? An exclusive connect,
   * let go at once without a reset; false when PC/SC refuses it (no card, or held by another).
   */
  async connects(readerName: string): Promise<boolean> {
    const reader = this.readers.get(readerName);
    if (!reader) return false;
    if (reader.connected) await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
    const connected = await new Promise<boolean>((resolve) => reader.connect({ share_mode: reader.SCARD_SHARE_EXCLUSIVE }, (error) => resolve(!error)));
    if (connected) await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
    return connected;
  }

  async connect(readerName: string, share: 'exclusive' | 'shared' = 'shared'): Promise<CardConnection> {
    await this.waitForCard(readerName, true);
    const reader = this.readers.get(readerName)!;
    // pcsclite answers connect() on an already connected reader without a protocol; a handle
    // left over from an earlier card (pulled since) is stale anyway: drop it first.
    if (reader.connected) {
      await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
    }
    const protocol = await new Promise<number>((resolve, reject) => {
      reader.connect({ share_mode: share === 'exclusive' ? reader.SCARD_SHARE_EXCLUSIVE : reader.SCARD_SHARE_SHARED }, (error, p) =>
        error ? reject(error) : resolve(p),
      );
    });
    const transmitBytes = (apdu: Uint8Array) =>
      new Promise<Uint8Array>((resolve, reject) => {
        reader.transmit(Buffer.from(apdu), 258 + 2, protocol, (error, data) => (error ? reject(error) : resolve(new Uint8Array(data))));
      });
    return {
      readerName,
      transmitBytes,
      transmit: async (hex) => Buffer.from(await transmitBytes(Buffer.from(hex.replace(/\s+/g, ''), 'hex'))).toString('hex'),
      disconnect: (disposition = 'leave') =>
        new Promise<void>((resolve, reject) => {
          const code = { leave: reader.SCARD_LEAVE_CARD, reset: reader.SCARD_RESET_CARD, unpower: reader.SCARD_UNPOWER_CARD }[disposition];
          reader.disconnect(code, (error) => (error ? reject(error) : resolve()));
        }),
    };
  }

  /**
   * Closes the readers and the context, once pcsclite has been quiet for a moment. pcsclite's
   * close() cancels its status thread's SCardGetStatusChange and then joins that thread, blocking
   * this whole process: a cancel that comes while the thread is between two waits (just after it
   * reported a change) is lost, and if the thread is not back in its wait within the ~50 ms
   * pcsclite keeps cancelling — on a loaded machine it may not be — the join never returns.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const deadline = performance.now() + 2_000;
    while (performance.now() - this.lastEventAt < QUIET_BEFORE_CLOSE_MS && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, QUIET_BEFORE_CLOSE_MS));
    }
    for (const reader of this.readers.values()) reader.close();
    this.pcsc.close();
  }

  private notify(): void {
    this.lastEventAt = performance.now();
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Opens a client, runs `use`, always closes it. */
export async function withPcsc<T>(use: (client: PcscClient) => Promise<T>): Promise<T> {
  const client = PcscClient.open();
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
