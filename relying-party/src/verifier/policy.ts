/**
 * Which certificate is which. JPKI marks its two end-entity certificates by certificatePolicies
 * OID and keyUsage (J-LIS 公的個人認証サービス プロファイル仕様書; confirmed by certificates read
 * off cards, see docs/DECISIONS.md):
 *   authentication 1.2.392.200149.8.5.1.3.30, keyUsage digitalSignature
 *   signing        1.2.392.200149.8.5.1.1.20, keyUsage digitalSignature + nonRepudiation
 * J-LIS's test cards differ only in the policy arc (signing 1.2.392.200149.8.5.1.0.20); the
 * virtual card's development CA (DESIGN §8) uses those test OIDs.
 */
import type { ParsedCertificate } from './certificate.ts';
import { VerificationError } from './errors.ts';

export type CertificateKind = 'auth' | 'sign';

export interface PolicyOids {
  auth: readonly string[];
  sign: readonly string[];
}

export const JPKI_POLICY_OIDS: PolicyOids = {
  auth: ['1.2.392.200149.8.5.1.3.30'],
  sign: ['1.2.392.200149.8.5.1.1.20'],
};

/** The JPKI test environment's arcs, used by the development CA. */
export const JPKI_TEST_POLICY_OIDS: PolicyOids = {
  // The development CA (shared/src/jpki-certificate.ts) keeps the production authentication arc.
  auth: ['1.2.392.200149.8.5.1.3.30'],
  sign: ['1.2.392.200149.8.5.1.0.20'],
};

export function mergePolicies(...sets: PolicyOids[]): PolicyOids {
  return {
    auth: [...new Set(sets.flatMap((set) => set.auth))],
    sign: [...new Set(sets.flatMap((set) => set.sign))],
  };
}

/** What a certificate says it is, by policy; null when it carries neither kind's policy. */
export function kindOf(certificate: ParsedCertificate, policies: PolicyOids): CertificateKind | null {
  if (certificate.policies.some((oid) => policies.sign.includes(oid))) return 'sign';
  if (certificate.policies.some((oid) => policies.auth.includes(oid))) return 'auth';
  return null;
}

const LABEL: Record<CertificateKind, string> = {
  auth: 'an authentication (利用者証明用) certificate',
  sign: 'a signing (署名用) certificate',
};

/**
 * Refuses a certificate that is not of the kind this operation needs: by policy first (that is
 * how JPKI tells them apart), then by keyUsage — a signing key must assert nonRepudiation, an
 * authentication key digitalSignature without nonRepudiation.
 */
export function requireKind(certificate: ParsedCertificate, wanted: CertificateKind, policies: PolicyOids): void {
  const kind = kindOf(certificate, policies);
  if (kind !== wanted) {
    const what = kind ? LABEL[kind] : 'a certificate with no JPKI policy';
    throw new VerificationError('WRONG_CERTIFICATE_TYPE', `expected ${LABEL[wanted]}, got ${what}`);
  }
  const usage = certificate.keyUsage;
  const usageOk =
    usage !== null &&
    usage.digitalSignature &&
    !usage.keyCertSign &&
    (wanted === 'sign' ? usage.nonRepudiation : !usage.nonRepudiation);
  if (!usageOk) {
    throw new VerificationError('WRONG_CERTIFICATE_TYPE', `the keyUsage does not fit ${LABEL[wanted]}`);
  }
}
