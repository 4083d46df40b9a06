/** Certificate facts the policy needs (step 5, commands/policy.ts), read with Node's built-in X.509 (no forge on the hot path). */
import { X509Certificate } from 'node:crypto';
import { JpkiError } from '@jpki-bridge/shared/errors';

export function certificateNotAfter(der: Uint8Array): Date {
  try {
    return new Date(new X509Certificate(der).validTo);
  } catch {
    throw new JpkiError('ERR_JPKI_CARD_ERROR', 'the card holds an unreadable certificate');
  }
}

/** Policy step 5: refuse a certificate whose validity has ended. */
export function refuseExpired(der: Uint8Array, now: Date): void {
  const notAfter = certificateNotAfter(der);
  if (!(notAfter.getTime() >= now.getTime())) {
    throw new JpkiError('ERR_JPKI_CERTIFICATE_EXPIRED', `the certificate expired on ${notAfter.toISOString().slice(0, 10)}`);
  }
}
