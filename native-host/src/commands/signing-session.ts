/**
 * The common head of every signing-key operation (sign, portal-sign, get-signing-certificate):
 * steps 2–4 under one exclusive hold, then the certificate (readable only now) and step 5.
 */
import type { PinKind } from '@jpki-bridge/shared/policy';
import type { JpkiCard } from '../card/jpki-card.ts';
import { refuseExpired } from '../card/certificate.ts';
import { certificateEf, unlock } from './policy.ts';

const SIGN: PinKind = 'sign';

export async function unlockSigning(card: JpkiCard, pin: Uint8Array, confirmLastTry: boolean | undefined, now: Date): Promise<Uint8Array> {
  await unlock(card, SIGN, pin, confirmLastTry);
  const certificate = await card.readCertificate(certificateEf(SIGN));
  refuseExpired(certificate, now); // right after VERIFY, before any signature
  return certificate;
}
