/**
 * The virtual card's state: one JSON file holding keys, certificates, PINs, retry counters and
 * locks (DESIGN §8). Written atomically so that a crash or a pulled card mid-write never leaves a
 * half-written file — a lock must survive restarts, so losing a write would be a lie to the tests.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { JpkiSex } from '@jpki-bridge/shared/jpki-certificate';

export type PersonaKind = 'adult' | 'minor' | 'expired';
export type PinKind = 'auth' | 'sign';

export interface PinState {
  /** The PIN in ASCII as the card compares it. Test card only: never printed. */
  value: string;
  maxRetries: number;
  /** 0 = locked; stays 0 across restarts until `reset-pins`. */
  retriesLeft: number;
  /** Still the documented default (1234 / ABC123)? `show` says this instead of the value. */
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

export interface VirtualCardState {
  format: 'jpki-bridge-virtual-card/1';
  persona: Persona;
  /** The development CA (DESIGN §8): two self-signed roots; their keys stay here for re-issuing. */
  ca: { auth: KeyAndCertificate; sign: KeyAndCertificate };
  auth: KeyAndCertificate;
  /** null for a persona without a signing certificate (under 15). */
  sign: KeyAndCertificate | null;
  pins: Record<PinKind, PinState>;
}

export const DEFAULT_PINS: Record<PinKind, string> = { auth: '1234', sign: 'ABC123' };
export const MAX_RETRIES: Record<PinKind, number> = { auth: 3, sign: 5 };

export function freshPins(): Record<PinKind, PinState> {
  return {
    auth: { value: DEFAULT_PINS.auth, maxRetries: MAX_RETRIES.auth, retriesLeft: MAX_RETRIES.auth, isDefault: true },
    sign: { value: DEFAULT_PINS.sign, maxRetries: MAX_RETRIES.sign, retriesLeft: MAX_RETRIES.sign, isDefault: true },
  };
}

export async function loadCardState(file: string): Promise<VirtualCardState> {
  const state = JSON.parse(await readFile(file, 'utf8')) as VirtualCardState;
  if (state?.format !== 'jpki-bridge-virtual-card/1') throw new Error(`${file} is not a virtual card state file`);
  return state;
}

/** Temp file in the same directory (rename is atomic only within one file system) + fsync + rename. */
export async function saveCardState(file: string, state: VirtualCardState): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  // fsync the directory so the rename itself is durable; not all platforms allow it.
  const dirHandle = await open(dir, 'r').catch(() => null);
  if (dirHandle) await dirHandle.sync().catch(() => {}).finally(() => dirHandle.close());
}

/**
 * The same, synchronously (returns the text written): `serve` persists a changed counter before the card answers, as a real
 * card writes its EEPROM before the status word — a process killed right after a wrong PIN must
 * still remember the miss.
 */
export function saveCardStateSync(file: string, state: VirtualCardState): string {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const text = `${JSON.stringify(state, null, 2)}\n`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {}
    throw error;
  }
  return text;
}

export { createCardState } from './issue.ts';
