/**
 * The virtual card's state: keys, certificates, the card's numbers, PINs, retry counters and
 * locks — its shape, format tag and default PINs. Imports nothing of the card's own, so every
 * part (issue, upgrade, the CA, the applications) takes these types without a circle; reading
 * and writing the file is state-file.ts's.
 */
import type { JpkiSex } from '@jpki-bridge/shared/jpki-certificate';
import type { AtrChoice } from './atr.ts';

/**
 * Who the card is. Beyond adult/minor/expired, the error paths a site must handle: a locked
 * authentication or signing PIN, both certificates revoked (a lost card), and the signing
 * certificate alone revoked (a move: 住所変更 revokes 署名用, not 利用者証明用).
 */
export const PERSONA_KINDS = ['adult', 'minor', 'expired', 'auth-pin-locked', 'sign-pin-locked', 'revoked', 'moved'] as const;
export type PersonaKind = (typeof PERSONA_KINDS)[number];
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
  /** Certificates the development CA has revoked (dev-crl.ts lists them); absent = none. */
  revoked?: KeyKind[];
}

/** The text PIN's default is the authentication PIN's, so one documented test PIN opens both. */
export const DEFAULT_PINS: Record<PinKind, string> = { auth: '1234', sign: 'ABC123', text: '1234' };
export const MAX_RETRIES: Record<PinKind, number> = { auth: 3, sign: 5, text: 3 };

export function freshPins(): Record<PinKind, PinState> {
  const fresh = (kind: PinKind): PinState => ({ value: DEFAULT_PINS[kind], maxRetries: MAX_RETRIES[kind], retriesLeft: MAX_RETRIES[kind], isDefault: true });
  return { auth: fresh('auth'), sign: fresh('sign'), text: fresh('text') };
}
