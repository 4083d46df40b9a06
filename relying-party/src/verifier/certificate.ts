/**
 * A certificate parsed once: Node's X509Certificate (native, fast) plus the extensions the
 * JPKI checks need, read with the small DER reader. Parsed anchors are cached by the trust store.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { certificateExtensions, children, content, decodeOid, decodeString, type Tlv } from './der.ts';

const OID_KEY_USAGE = '2.5.29.15';
const OID_CERTIFICATE_POLICIES = '2.5.29.32';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';

export interface KeyUsage {
  digitalSignature: boolean;
  nonRepudiation: boolean;
  keyCertSign: boolean;
}

export interface OtherName {
  oid: string;
  /** The string value, or null when it is not a string type. */
  value: string | null;
}

export interface ParsedCertificate {
  x509: X509Certificate;
  /** The DER: byte for byte the input, which parseCertificate accepts only when it is exactly DER. */
  der: Buffer;
  /** SHA-256 of the DER, uppercase hex with colons (the form of the JPKI roots README). */
  fingerprint256: string;
  /** null when the certificate has no keyUsage extension. */
  keyUsage: KeyUsage | null;
  policies: string[];
  otherNames: OtherName[];
  isCa: boolean;
}

export class CertificateParseError extends Error {}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  let x509: X509Certificate;
  const buffer = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  try {
    x509 = new X509Certificate(buffer);
  } catch (error) {
    throw new CertificateParseError(`not an X.509 certificate: ${(error as Error).message}`);
  }
  // Exactly DER, exactly one certificate: OpenSSL accepts PEM, trailing bytes and a non-minimal
  // outer length, and `raw` is its own encoding of what it parsed. Only input equal to `raw` is
  // what was signed, hashed and handed back (inside tbsCertificate the issuer's signature already
  // pins every byte).
  if (!x509.raw.equals(buffer)) throw new CertificateParseError('not exactly one DER certificate (trailing bytes, a non-minimal length or PEM)');
  try {
    const extensions = certificateExtensions(x509.raw);
    const keyUsageExt = extensions.get(OID_KEY_USAGE);
    const policiesExt = extensions.get(OID_CERTIFICATE_POLICIES);
    const sanExt = extensions.get(OID_SUBJECT_ALT_NAME);
    return {
      x509,
      der: x509.raw,
      fingerprint256: x509.fingerprint256,
      keyUsage: keyUsageExt ? parseKeyUsage(keyUsageExt.value) : null,
      policies: policiesExt ? parsePolicies(policiesExt.value) : [],
      otherNames: sanExt ? parseOtherNames(sanExt.value) : [],
      isCa: extensions.has(OID_BASIC_CONSTRAINTS) ? x509.ca : false,
    };
  } catch (error) {
    if (error instanceof CertificateParseError) throw error;
    throw new CertificateParseError(`malformed extensions: ${(error as Error).message}`);
  }
}

/** KeyUsage ::= BIT STRING; bit 0 is the most significant bit of the first content octet. */
function parseKeyUsage(bits: Tlv): KeyUsage {
  if (bits.tag !== 0x03) throw new CertificateParseError('keyUsage is not a BIT STRING');
  const body = content(bits);
  const first = body[1] ?? 0;
  const bit = (n: number) => (first & (0x80 >> n)) !== 0;
  return { digitalSignature: bit(0), nonRepudiation: bit(1), keyCertSign: bit(5) };
}

/** certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier, qualifiers? }. */
function parsePolicies(sequence: Tlv): string[] {
  return children(sequence).map((info) => decodeOid(children(info)[0]!));
}

/** GeneralNames; otherName is [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }. */
function parseOtherNames(sequence: Tlv): OtherName[] {
  const out: OtherName[] = [];
  for (const name of children(sequence)) {
    if (name.tag !== 0xa0) continue;
    const [typeId, explicit] = children(name);
    if (!typeId || !explicit) continue;
    const inner = children(explicit)[0];
    out.push({ oid: decodeOid(typeId), value: inner ? decodeString(inner) : null });
  }
  return out;
}

/** Hex SHA-256 fingerprint with colons, the way openssl and the roots README print it. */
export function fingerprintOf(der: Uint8Array): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(':');
}
