/** The success halves of the verifier's results, and the certificate summary they carry. */
import type { ChainedCertificate } from './chain.ts';
import { oneLine } from './chain.ts';
import type { VerificationFailure } from './errors.ts';
import type { Holder } from './holder.ts';
import type { CertificateKind } from './policy.ts';
import type { RevocationResult } from './revocation.ts';

export interface CertificateInfo {
  kind: CertificateKind;
  /** One line, RDNs in certificate order, e.g. `C=JP, CN=…`. */
  subject: string;
  issuer: string;
  /** Hex, uppercase, as Node prints it. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, `AA:BB:…`: a stable identifier for the certificate (and, for auth, the login). */
  fingerprint256: string;
  /** The DER, base64. */
  certificate: string;
  /** Where the anchor it chains to came from. */
  trustAnchor: string;
}

export interface AuthSuccess {
  ok: true;
  certificateInfo: Readonly<CertificateInfo>;
  subject: string;
  serial: string;
  notAfter: Date;
  revocation: RevocationResult;
}

export interface SignatureSuccess extends Omit<AuthSuccess, 'ok'> {
  ok: true;
  /** The holder's name, address, date of birth and sex (signing certificates only carry them). */
  holder: Holder;
}

export type AuthResult = AuthSuccess | VerificationFailure;
export type SignatureResult = SignatureSuccess | VerificationFailure;

/** Computed once per certificate (it only depends on the certificate); results share it, frozen. */
const described = new WeakMap<ChainedCertificate, Partial<Record<CertificateKind, Readonly<CertificateInfo>>>>();

export function describe(chained: ChainedCertificate, kind: CertificateKind): Readonly<CertificateInfo> {
  let byKind = described.get(chained);
  if (!byKind) described.set(chained, (byKind = {}));
  return (byKind[kind] ??= Object.freeze({ ...summarize(chained), kind }));
}

function summarize(chained: ChainedCertificate): Omit<CertificateInfo, 'kind'> {
  const { x509, der, fingerprint256 } = chained.certificate;
  return {
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    serial: x509.serialNumber.toUpperCase(),
    notBefore: chained.notBefore,
    notAfter: chained.notAfter,
    fingerprint256,
    certificate: der.toString('base64'),
    trustAnchor: chained.anchor.source,
  };
}
