/**
 * The law of the card as data: for each PIN kind, its PIN EF and how many misses lock it, and for
 * the JPKI applet's two keys their key and certificate EFs. Both the extension and the host
 * consult this table; the host checks the rules again whatever the extension says. Which verb uses
 * which kind is operations.ts's `pin` column.
 */
import { EF } from './card.ts';
import { TEXT_EF, TEXT_PIN_MAX_TRIES } from './card-apps.ts';

/** The JPKI applet's two keys (and their PINs). */
export type KeyKind = 'auth' | 'sign';
/**
 * Every PIN the user may enter: the two keys' and the text application's (券面事項入力補助用暗証番号),
 * which unlocks the card face's text and no key.
 */
export type PinKind = KeyKind | 'text';

export interface PinPolicy {
  /** The PIN's EF, in its own application (the JPKI applet, or the text application for `text`). */
  pinEf: string;
  /** Consecutive misses after which the card locks the PIN. */
  maxTries: number;
}

export interface KeyPolicy extends PinPolicy {
  keyEf: string;
  certificateEf: string;
}

export const POLICY: Record<KeyKind, KeyPolicy> & Record<'text', PinPolicy> = {
  auth: { keyEf: EF.authKey, pinEf: EF.authPin, certificateEf: EF.authCertificate, maxTries: 3 },
  sign: { keyEf: EF.signKey, pinEf: EF.signPin, certificateEf: EF.signCertificate, maxTries: 5 },
  text: { pinEf: TEXT_EF.pin, maxTries: TEXT_PIN_MAX_TRIES },
};

/** Every PIN kind, in the order the popup and `status` list them. */
export const PIN_KINDS = ['auth', 'sign', 'text'] as const satisfies readonly PinKind[];

export function isPinKind(value: unknown): value is PinKind {
  return (PIN_KINDS as readonly unknown[]).includes(value);
}
