/**
 * Revocation is pluggable: J-LIS serves its CRL/OCSP only to certified verifiers (署名検証者 /
 * 利用者証明検証者), so a site either has such a service or has nothing to ask — and says which
 * (VerifierOptions.revocation; docs/verifier.md).
 */
import type { X509Certificate } from 'node:crypto';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface RevocationChecker {
  check(certificate: X509Certificate, issuer: X509Certificate): Promise<RevocationStatus>;
}

/**
 * What a success reports: 'good' from the checker; 'unknown' only when the site opted in with
 * allowUnknownRevocation; 'not-checked' when the site configured `revocation: 'not-checked'`.
 */
export type RevocationResult = RevocationStatus | 'not-checked';
