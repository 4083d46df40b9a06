/**
 * The virtual card's state in one JSON file. Written atomically so that a crash or a pulled card
 * mid-write never leaves a half-written file — a lock must survive restarts, so losing a write
 * would be a lie to the tests. A file of the previous format is upgraded on reading (upgrade.ts).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, writeFileAtomicSync } from '../fs/atomic-write.ts';
import type { VirtualCardState } from './state.ts';
import { upgradeCardState } from './upgrade.ts';

export async function loadCardState(file: string): Promise<VirtualCardState> {
  return parseCardState(await readFile(file, 'utf8'), file);
}

/** The state in a file's text; a file of the previous format gains what it lacks (upgrade.ts). */
export function parseCardState(text: string, file: string): VirtualCardState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const state = upgradeCardState(parsed);
  if (!state) throw new Error(`${file} is not a virtual card state file`);
  return state;
}

/** Written whole or not at all (../fs/atomic-write.ts); the file is 0600: it holds the card's keys and PINs. */
export async function saveCardState(file: string, state: VirtualCardState): Promise<void> {
  await writeFileAtomic(file, stateText(state));
}

/**
 * The same, synchronously (returns the text written): `serve` persists a changed counter before the card answers, as a real
 * card writes its EEPROM before the status word — a process killed right after a wrong PIN must
 * still remember the miss.
 */
export function saveCardStateSync(file: string, state: VirtualCardState): string {
  const text = stateText(state);
  writeFileAtomicSync(file, text);
  return text;
}

function stateText(state: VirtualCardState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
