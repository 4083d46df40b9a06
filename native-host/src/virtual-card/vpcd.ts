/**
 * Connects a card to vpcd (vsmartcard's virtual reader driver inside pcscd) as the card side.
 * vpcd listens on 127.0.0.1:35963 (`Virtual PCD 00 00`) and :35964 (`… 00 01`). Frames are a
 * 2-byte big-endian length + payload; a 1-byte payload is control (00 off, 01 on, 02 reset,
 * 04 ATR request), anything longer is a command APDU. Connected = card inserted; closing the
 * socket = card pulled out.
 */
import { connect, type Socket } from 'node:net';

export interface VpcdCard {
  readonly atr: Uint8Array;
  transmit(apdu: Uint8Array): Uint8Array;
  reset(): void;
}

export interface VpcdOptions {
  host?: string;
  port?: number;
  /** Pull the card out on receiving the N-th command APDU (1-based), without answering it. */
  removeAt?: number;
  /** Sees every exchange (for the trace file). */
  onExchange?: (command: Uint8Array, response: Uint8Array) => void;
  /** vpcd started / stopped talking to this card (it is in / out of the reader). */
  onStatus?: (status: 'inserted' | 'waiting' | 'disconnected') => void;
}

const CONTROL = { OFF: 0x00, ON: 0x01, RESET: 0x02, ATR: 0x04 } as const;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 2_000;

/**
 * Keeps the card in the reader until stop() — reconnecting with backoff when pcscd is restarted
 * or not yet up. Resolves 'stopped' after stop(), 'removed' after a removeAt fault.
 */
export class VpcdBridge {
  private socket: Socket | null = null;
  private stopped = false;
  private apduCount = 0;
  private wake: (() => void) | null = null;

  constructor(
    private readonly card: VpcdCard,
    private readonly options: VpcdOptions = {},
  ) {}

  async run(): Promise<'stopped' | 'removed'> {
    let backoff = BACKOFF_MIN_MS;
    let announcedWaiting = false;
    while (!this.stopped) {
      const outcome = await this.session();
      if (outcome === 'removed') return 'removed';
      if (this.stopped) break;
      if (outcome === 'served') backoff = BACKOFF_MIN_MS;
      if (outcome === 'refused' && !announcedWaiting) {
        announcedWaiting = true;
        this.options.onStatus?.('waiting');
      }
      if (outcome === 'served') announcedWaiting = false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
    return 'stopped';
  }

  /** Pull the card out and stop reconnecting. */
  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
    this.wake?.();
  }

  /** One connection: 'refused' if it never connected, 'served' when vpcd closed it. */
  private session(): Promise<'refused' | 'served' | 'removed'> {
    return new Promise((resolve) => {
      // No Nagle: every response is one small write that vpcd waits for; with Nagle each APDU
      // would wait for a delayed ACK (~40 ms) and a certificate read would take seconds.
      const socket = connect({ host: this.options.host ?? '127.0.0.1', port: this.options.port ?? 35963, noDelay: true });
      this.socket = socket;
      let connected = false;
      let removed = false;
      let pending: Buffer = Buffer.alloc(0);
      let talking = false;
      socket.on('connect', () => {
        connected = true;
        socket.setNoDelay(true);
      });
      socket.on('data', (chunk: Buffer) => {
        // Inserted only once vpcd talks to us: it accepts one card per port, and a second
        // connection just waits in the listen backlog while another card is in the reader.
        if (!talking) {
          talking = true;
          this.options.onStatus?.('inserted');
        }
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && !removed) {
          const length = pending.readUInt16BE(0);
          if (pending.length < 2 + length) break;
          const payload = pending.subarray(2, 2 + length);
          pending = pending.subarray(2 + length);
          if (this.handle(socket, payload) === 'removed') {
            removed = true;
            socket.destroy();
          }
        }
      });
      socket.on('error', () => {}); // 'close' follows and decides
      socket.on('close', () => {
        this.socket = null;
        // A new insertion is a fresh power-up: no selection, no verified PIN.
        this.card.reset();
        if (talking && !removed) this.options.onStatus?.('disconnected');
        resolve(removed ? 'removed' : connected ? 'served' : 'refused');
      });
    });
  }

  private handle(socket: Socket, payload: Buffer): 'ok' | 'removed' {
    if (payload.length === 1) {
      switch (payload[0]) {
        case CONTROL.OFF:
        case CONTROL.ON:
        case CONTROL.RESET:
          this.card.reset();
          break;
        case CONTROL.ATR:
          send(socket, this.card.atr);
          break;
        default:
          break; // unknown control: vpcd defines none other; ignore like vsmartcard's own cards
      }
      return 'ok';
    }
    this.apduCount += 1;
    if (this.options.removeAt !== undefined && this.apduCount >= this.options.removeAt) return 'removed';
    const command = new Uint8Array(payload);
    const response = this.card.transmit(command);
    this.options.onExchange?.(command, response);
    send(socket, response);
    return 'ok';
  }
}

function send(socket: Socket, payload: Uint8Array): void {
  const frame = Buffer.alloc(2 + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, 2);
  socket.write(frame);
}
