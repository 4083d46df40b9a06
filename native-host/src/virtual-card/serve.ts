/** `virtual-card serve`: the card from a state file, in a vpcd reader, persisting every change. */
import { VirtualJpkiCard } from './card.ts';
import { loadCardState, saveCardStateSync } from './state.ts';
import { TraceFile } from './trace.ts';
import { VpcdBridge } from './vpcd.ts';

export interface ServeOptions {
  stateFile: string;
  port: 35963 | 35964;
  traceFile?: string;
  removeAt?: number;
  log: (line: string) => void;
}

export const READER_NAMES = { 35963: 'Virtual PCD 00 00', 35964: 'Virtual PCD 00 01' } as const;

export async function serve(options: ServeOptions): Promise<'stopped' | 'removed'> {
  const state = await loadCardState(options.stateFile);
  const card = new VirtualJpkiCard(state, { onStateChange: (changed) => saveCardStateSync(options.stateFile, changed) });
  const trace = options.traceFile ? new TraceFile(options.traceFile) : null;
  const reader = READER_NAMES[options.port];
  const bridge = new VpcdBridge(card, {
    port: options.port,
    removeAt: options.removeAt,
    onExchange: trace ? (command, response) => trace.exchange(command, response) : undefined,
    onStatus: (status) => {
      if (status === 'inserted') options.log(`virtual-card: ready — ${state.persona.kind} card inserted in "${reader}" (127.0.0.1:${options.port})`);
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
