/**
 * Which certificate is which. JPKI marks its two end-entity certificates by certificatePolicies
 * OID (shared/src/jpki-certificate.ts: JPKI_POLICY_OID for real cards, DEV_POLICY_OID for the
 * development CA, an arc of its own) and keyUsage:
 * authentication digitalSignature; signing digitalSignature + nonRepudiation (J-LIS 公的個人認証
 * サービス プロファイル仕様書; confirmed by certificates read off cards, see docs/DECISIONS.md).
 */
import { DEV_POLICY_OID, JLIS_TEST_SIGN_POLICY_OID, JPKI_POLICY_OID } from '@jpki-bridge/shared/jpki-certificate';
import type { ParsedCertificate } from './certificate.ts';
import { VerificationError } from './errors.ts';

export type CertificateKind = 'auth' | 'sign';

export interface PolicyOids {
  auth: readonly string[];
  sign: readonly string[];
}

/** Production J-LIS certificates: the verifier's default. */
export const JPKI_POLICY_OIDS: PolicyOids = { auth: [JPKI_POLICY_OID.auth], sign: [JPKI_POLICY_OID.sign] };

/**
 * Test certificates: the development CA's own arcs (the virtual card), and the signing arc of
 * J-LIS's test cards (whose authentication certificates carry the production arc).
 */
export const JPKI_TEST_POLICY_OIDS: PolicyOids = { auth: [DEV_POLICY_OID.auth], sign: [DEV_POLICY_OID.sign, JLIS_TEST_SIGN_POLICY_OID] };

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
  const usageOk = usage !== null && usage.digitalSignature && !usage.keyCertSign && (wanted === 'sign' ? usage.nonRepudiation : !usage.nonRepudiation);
  if (!usageOk) {
    throw new VerificationError('WRONG_CERTIFICATE_TYPE', `the keyUsage does not fit ${LABEL[wanted]}`);
  }
}
