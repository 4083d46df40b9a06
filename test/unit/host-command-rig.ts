/**
 * The in-process rig of the host's command tests: a persona's virtual card behind a transport
 * that records every APDU (and in which exclusive hold it went), the real dispatcher, and
 * an installation uuid kept in a temporary directory of the test's own (never ~/.config).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNativeRequest, RequestError } from '@jpki-bridge/shared/protocol/validate';
import { bytesToHex } from '../../native-host/src/card/apdu.ts';
import { singleCardBackend } from '../../native-host/src/card/single-card-backend.ts';
import type { CommandContext } from '../../native-host/src/commands/context.ts';
import { dispatch } from '../../native-host/src/host/dispatch.ts';
import { installationUuid } from '../../native-host/src/portal/installation-uuid.ts';
import { VirtualJpkiCard, type VirtualCardState } from '../../native-host/src/virtual-card/index.ts';
import { sharedCardState } from './shared-cards.ts';

export type PersonaName = 'adult' | 'minor' | 'expired';

/** One card state per persona for the whole run (./shared-cards.ts: making keys is slow); each call gets a copy. */
export function persona(name: PersonaName): Promise<VirtualCardState> {
  return sharedCardState(name);
}

export interface Rig {
  state: VirtualCardState;
  /** Every command APDU as hex. */
  trace: string[];
  /** The same APDUs grouped by exclusive hold of the card (one per command that reached it). */
  holds: string[][];
  /** The directory holding this rig's installation uuid. */
  configDir: string;
  ctx: CommandContext;
  run(command: string, args: Record<string, unknown>): Promise<{ result?: any; error?: any }>;
  /** VERIFY with data (a PIN try); the bare `00200080` only reads the counter. */
  verifies(): string[];
}

export interface RigOptions {
  /** Edits the copy of the persona's state before the card is made. */
  adjust?: (state: VirtualCardState) => void;
  /** Another rig's state (the same card, e.g. after a restart) instead of a persona's copy. */
  state?: VirtualCardState;
  /** Another rig's uuid directory (the same installation). */
  configDir?: string;
}

export async function rig(name: PersonaName = 'adult', options: RigOptions = {}): Promise<Rig> {
  const state = options.state ?? (await persona(name));
  options.adjust?.(state);
  const card = new VirtualJpkiCard(state);
  const trace: string[] = [];
  const holds: string[][] = [];
  const backend = singleCardBackend('test reader', async () => {
    const hold: string[] = [];
    holds.push(hold);
    return {
      transport: { transmit: async (apdu) => (trace.push(bytesToHex(apdu)), hold.push(bytesToHex(apdu)), card.transmit(apdu)) },
      release: () => card.reset(),
    };
  });
  const configDir = options.configDir ?? mkdtempSync(join(tmpdir(), 'jpki-host-config-'));
  const ctx: CommandContext = { backend, now: () => new Date(), installationUuid: () => installationUuid(configDir) };
  return {
    state,
    trace,
    holds,
    configDir,
    ctx,
    async run(command, args) {
      try {
        return { result: await dispatch(parseNativeRequest({ id: 1, command, arguments: args }), ctx) };
      } catch (error) {
        const typed = error instanceof RequestError ? error.error : error; // refused by the validator, as the host would answer
        return { error: (typed as { toJSON?: () => unknown }).toJSON?.() ?? typed };
      }
    },
    verifies: () => trace.filter((apdu) => apdu.startsWith('00200080') && apdu.length > 8),
  };
}
