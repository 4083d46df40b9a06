/**
 * The host's copy of the key policy, as functions in the order commands call them:
 *   1. the PIN matches its rule (else ERR_JPKI_PIN_FORMAT, before any card contact);
 *   2. the retry counter, read without spending a try (0 → locked; 1 → only with confirmLastTry);
 *   3. for the signing key, a signing certificate is present;
 *   4. VERIFY — in the JPKI applet for the keys' PINs, in the text application for the text PIN;
 *   5. the certificate has not expired (authentication: before VERIFY, its certificate needs no
 *      PIN; signing: right after VERIFY, the only moment it is readable) — before any signature.
 * The extension checks the same rules; the host checks them again whatever the extension says.
 */
import { bytesToBase64 } from '@jpki-bridge/shared/base64';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { checkPin } from '@jpki-bridge/shared/pin';
import { type KeyKind, POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import { refuseExpired } from '../card/certificate.ts';
import type { JpkiCard } from '../card/jpki-card.ts';
import { TextApp } from '../card/text-app.ts';

/** How error messages name each kind's PIN. */
const PIN_NAMES: Record<PinKind, string> = { auth: 'authentication', sign: 'signing', text: 'text (card face)' };

/** A PIN where it lives on the card: the JPKI applet for the keys' PINs, the text application for the text PIN. */
export interface PinSlot {
  retries(): Promise<number>;
  verify(pin: Uint8Array): Promise<void>;
  changePin(newPin: Uint8Array): Promise<void>;
}

/**
 * Step 1: the PIN must match its rule, else ERR_JPKI_PIN_FORMAT before any card contact.
 * Returns the normalized PIN as ASCII bytes; the caller zeroes them in `finally` (`wipe`).
 */
export function pinBytes(kind: PinKind, pin: string, which = 'PIN'): Uint8Array {
  const checked = checkPin(kind, pin);
  if (!checked.ok) throw new JpkiError('ERR_JPKI_PIN_FORMAT', `the ${PIN_NAMES[kind]} ${which} breaks its rule (${checked.problem})`);
  const bytes = new Uint8Array(checked.pin.length);
  for (let i = 0; i < checked.pin.length; i++) bytes[i] = checked.pin.charCodeAt(i);
  return bytes;
}

export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}

/** Step 2: read the retry counter without spending a try; 0 → locked; 1 → only with confirmLastTry. */
export async function checkRetries(slot: PinSlot, confirmLastTry: boolean | undefined): Promise<void> {
  const left = await slot.retries();
  if (left === 0) throw new JpkiError('ERR_JPKI_PIN_LOCKED', undefined, 0);
  if (left === 1 && confirmLastTry !== true) throw new JpkiError('ERR_JPKI_PIN_LAST_TRY', undefined, 1);
}

/** Step 3 (signing only): EF 0008 byte 0 must be 8F. */
export async function requireSigningCertificate(card: JpkiCard): Promise<void> {
  if (!(await card.availability()).sign) throw new JpkiError('ERR_JPKI_NO_SIGNING_CERTIFICATE');
}

/** Steps 2–4 for one PIN kind: retries, (signing) certificate present, VERIFY. Returns where the PIN lives. */
export async function unlock(card: JpkiCard, kind: PinKind, pin: Uint8Array, confirmLastTry: boolean | undefined): Promise<PinSlot> {
  const slot = kind === 'text' ? await TextApp.open(card) : keyPin(card, kind);
  await unlockSlot(card, kind, slot, pin, confirmLastTry);
  return slot;
}

/** Steps 2 and 4 for the text PIN (券面事項入力補助用暗証番号): returns the text application, unlocked. */
export async function unlockText(card: JpkiCard, pin: Uint8Array, confirmLastTry: boolean | undefined): Promise<TextApp> {
  const text = await TextApp.open(card);
  await unlockSlot(card, 'text', text, pin, confirmLastTry);
  return text;
}

async function unlockSlot(card: JpkiCard, kind: PinKind, slot: PinSlot, pin: Uint8Array, confirmLastTry: boolean | undefined): Promise<void> {
  await checkRetries(slot, confirmLastTry);
  if (kind === 'sign') await requireSigningCertificate(card);
  await slot.verify(pin);
}

function keyPin(card: JpkiCard, kind: KeyKind): PinSlot {
  return {
    retries: () => card.retries(kind),
    verify: (pin) => card.verify(kind, pin),
    changePin: (newPin) => card.changePin(kind, newPin),
  };
}

/**
 * The head of every authentication-key operation (authenticate, portal-login): step 5 first,
 * because its certificate needs no PIN — read before step 2 also leaves the PIN EF selected for
 * the counter and VERIFY, one APDU fewer (docs/DECISIONS.md) — then steps 2 and 4. Returns the
 * certificate.
 */
export async function unlockAuth(card: JpkiCard, pin: Uint8Array, confirmLastTry: boolean | undefined, now: Date): Promise<Uint8Array> {
  const certificate = await card.readCertificate(POLICY.auth.certificateEf);
  refuseExpired(certificate, now);
  await unlock(card, 'auth', pin, confirmLastTry);
  return certificate;
}

/**
 * The head of every signing-key operation (sign, portal-sign, get-signing-certificate): steps
 * 2–4, then the certificate (readable only now) and step 5, before any signature. Returns the
 * certificate.
 */
export async function unlockSigning(card: JpkiCard, pin: Uint8Array, confirmLastTry: boolean | undefined, now: Date): Promise<Uint8Array> {
  await unlock(card, 'sign', pin, confirmLastTry);
  const certificate = await card.readCertificate(POLICY.sign.certificateEf);
  refuseExpired(certificate, now);
  return certificate;
}

/** The signing key over each DigestInfo in turn (one VERIFY for all, done by the caller): base64 signatures. */
export async function signEach(card: JpkiCard, digestInfos: readonly Uint8Array[]): Promise<string[]> {
  const signatures: string[] = [];
  for (const digestInfo of digestInfos) signatures.push(bytesToBase64(await card.sign('sign', digestInfo)));
  return signatures;
}
