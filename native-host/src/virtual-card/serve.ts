/** `virtual-card serve`: the card from a state file, in a vpcd reader, persisting every change. */
import { readFileSync } from 'node:fs';
import { VirtualJpkiCard } from './card.ts';
import type { VirtualCardState } from './state.ts';
import { loadCardState, parseCardState, saveCardStateSync } from './state-file.ts';
import { TraceFile } from './trace.ts';
import { VpcdBridge, type VpcdCard } from './vpcd.ts';

export interface ServeOptions {
  stateFile: string;
  port: 35963 | 35964;
  traceFile?: string;
  removeAt?: number;
  log: (line: string) => void;
}

export const READER_NAMES = { 35963: 'Virtual PCD 00 00', 35964: 'Virtual PCD 00 01' } as const;

export async function serve(options: ServeOptions): Promise<'stopped' | 'removed'> {
  const card = new FileBackedCard(options.stateFile, await loadCardState(options.stateFile));
  const trace = options.traceFile ? new TraceFile(options.traceFile) : null;
  const reader = READER_NAMES[options.port];
  const bridge = new VpcdBridge(card, {
    port: options.port,
    removeAt: options.removeAt,
    onExchange: trace ? (command, response) => trace.exchange(command, response) : undefined,
    onStatus: (status) => {
      if (status === 'inserted') options.log(`virtual-card: ready — ${card.persona} card inserted in "${reader}" (127.0.0.1:${options.port})`);
      if (status === 'waiting') options.log(`virtual-card: waiting for vpcd on 127.0.0.1:${options.port} (is pcscd running?)`);
      if (status === 'disconnected') options.log('virtual-card: vpcd closed the connection; reconnecting');
    },
  });
  const stop = () => bridge.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const outcome = await bridge.run();
    if (outcome === 'removed') options.log(`virtual-card: card pulled out at APDU #${options.removeAt} (--remove-at)`);
    return outcome;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * The card, persisted to its state file before each answer. At every reset (power cycle,
 * re-insertion) it re-reads the file if someone else changed it — e.g. `reset-pins` run while
 * the card is served — as if the card had been to the municipal office and back.
 */
class FileBackedCard implements VpcdCard {
  private card: VirtualJpkiCard;
  private lastWritten: string;

  constructor(
    private readonly file: string,
    state: VirtualCardState,
  ) {
    this.lastWritten = readFileSync(file, 'utf8');
    this.card = this.make(state);
  }

  get atr(): Uint8Array {
    return this.card.atr;
  }

  get persona(): string {
    return this.card.state.persona.kind;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    return this.card.transmit(apdu);
  }

  reset(): void {
    let onDisk: string;
    try {
      onDisk = readFileSync(this.file, 'utf8');
    } catch {
      onDisk = this.lastWritten; // the file went away: keep serving what we have
    }
    if (onDisk !== this.lastWritten) {
      this.lastWritten = onDisk;
      this.card = this.make(parseCardState(onDisk, this.file));
    } else {
      this.card.reset();
    }
  }

  private make(state: VirtualCardState): VirtualJpkiCard {
    return new VirtualJpkiCard(state, {
      onStateChange: (changed) => {
        this.lastWritten = saveCardStateSync(this.file, changed);
      },
    });
  }
}
