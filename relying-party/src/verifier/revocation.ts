/**
 * Revocation is pluggable (DESIGN §6): J-LIS serves its CRL/OCSP only to certified verifiers
 * (署名検証者 / 利用者証明検証者), so a site either has such a service or has nothing to ask.
 */
import type { X509Certificate } from 'node:crypto';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface RevocationChecker {
  check(certificate: X509Certificate, issuer: X509Certificate): Promise<RevocationStatus>;
}

/** What a result reports: what the checker said, or that nobody asked. */
export type RevocationResult = RevocationStatus | 'not-checked';
