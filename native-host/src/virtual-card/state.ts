/**
 * The virtual card's state: one JSON file holding keys, certificates, the card's numbers, PINs,
 * retry counters and locks. Written atomically so that a crash or a pulled card mid-write never leaves a
 * half-written file — a lock must survive restarts, so losing a write would be a lie to the tests.
 */
import { readFile } from 'node:fs/promises';
import type { JpkiSex } from '@jpki-bridge/shared/jpki-certificate';
import { writeFileAtomic, writeFileAtomicSync } from '../fs/atomic-write.ts';
import type { AtrChoice } from './atr.ts';
import { upgradeCardState } from './upgrade.ts';

export type PersonaKind = 'adult' | 'minor' | 'expired';
/** The JPKI applet's two keys (and their certificates, CAs and PINs). */
export type KeyKind = 'auth' | 'sign';
/** The card's PINs: the JPKI applet's two and the text application's (券面事項入力補助用暗証番号). */
export type PinKind = KeyKind | 'text';

export interface PinState {
  /** The PIN in ASCII as the card compares it. Test card only: never printed. */
  value: string;
  maxRetries: number;
  /** 0 = locked; stays 0 across restarts until `reset-pins`. */
  retriesLeft: number;
  /** Still the documented default (1234 / ABC123 / 1234)? `show` says this instead of the value. */
  isDefault: boolean;
}

export interface KeyAndCertificate {
  /** PKCS#1 PEM private key. */
  key: string;
  /** Base64 DER certificate. */
  certificate: string;
}

export interface Persona {
  kind: PersonaKind;
  name: string;
  /** YYYY-MM-DD */
  birth: string;
  address: string;
  sex: JpkiSex;
  /** ISO timestamp the certificates were issued. */
  issued: string;
}

export const STATE_FORMAT = 'jpki-bridge-virtual-card/2';

export interface VirtualCardState {
  format: typeof STATE_FORMAT;
  /** The ATR the card answers with (atr.ts): `neutral` unless `create --atr` chose a real card's. */
  atr: AtrChoice;
  persona: Persona;
  /** The card-ID application: its manufacture number, 13 ASCII characters, random per card. */
  cardId: { manufactureNumber: string };
  /** The text application's EF 0001: a fake My Number (card-numbers.ts), which the host never reads. */
  text: { myNumber: string };
  /** The development CA: two self-signed roots; their keys stay here for re-issuing. */
  ca: { auth: KeyAndCertificate; sign: KeyAndCertificate };
  auth: KeyAndCertificate;
  /** null for a persona without a signing certificate (under 15). */
  sign: KeyAndCertificate | null;
  pins: Record<PinKind, PinState>;
}

/** The text PIN's default is the authentication PIN's, so one documented test PIN opens both. */
export const DEFAULT_PINS: Record<PinKind, string> = { auth: '1234', sign: 'ABC123', text: '1234' };
export const MAX_RETRIES: Record<PinKind, number> = { auth: 3, sign: 5, text: 3 };

export function freshPins(): Record<PinKind, PinState> {
  const fresh = (kind: PinKind): PinState => ({ value: DEFAULT_PINS[kind], maxRetries: MAX_RETRIES[kind], retriesLeft: MAX_RETRIES[kind], isDefault: true });
  return { auth: fresh('auth'), sign: fresh('sign'), text: fresh('text') };
}

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

export { createCardState } from './issue.ts';
