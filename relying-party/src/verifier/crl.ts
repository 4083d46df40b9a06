/**
 * A revocation checker over CRLs the site operator supplies (DER or PEM files). J-LIS publishes
 * its CRLs only to certified verifiers (署名検証者 / 利用者証明検証者, docs/verifier.md); a site that is
 * one can refresh the files and build a new checker, everyone else says `revocation: 'not-checked'`.
 * A CRL counts only if it is signed by the certificate's issuer (the trust anchor), names that
 * issuer byte for byte and is current (thisUpdate ≤ now ≤ nextUpdate); otherwise the answer is
 * 'unknown', never 'good' — and the verifier fails an 'unknown' unless told allowUnknownRevocation.
 * A CRL without nextUpdate (RFC 5280 §5.1.2.5: issuers MUST include it; without it, it would be
 * current forever) or signed with SHA-1 (collisions are practical) is refused when loaded (CrlError).
 */
import { verify as cryptoVerify, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { children, content, decodeOid, decodeTime, encoded, integerHex, normalizeSerial, readTlv } from './der.ts';
import type { RevocationChecker, RevocationStatus } from './revocation.ts';

const SHA1_WITH_RSA = '1.2.840.113549.1.1.5';
const SIGNATURE_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

interface ParsedCrl {
  issuer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: Set<string>;
  tbs: Buffer;
  hash: string;
  signature: Buffer;
  /**
   * A critical crlExtension (deltaCRLIndicator, issuingDistributionPoint, …): this checker honours
   * none, so such a CRL is not a complete list for its issuer and is never used (RFC 5280 §5.2).
   */
  hasCriticalExtension: boolean;
}

export class CrlError extends Error {}

export function parseCrl(der: Uint8Array): ParsedCrl {
  try {
    const [tbsTlv, algorithm, signatureBits] = children(readTlv(der));
    if (!tbsTlv || !algorithm || !signatureBits || signatureBits.tag !== 0x03) throw new CrlError('not a CertificateList');
    const algorithmOid = decodeOid(children(algorithm)[0]!);
    if (algorithmOid === SHA1_WITH_RSA) throw new CrlError('the CRL is signed with SHA-1, which is not accepted (SHA-256 or stronger)');
    const hash = Object.hasOwn(SIGNATURE_HASH, algorithmOid) ? SIGNATURE_HASH[algorithmOid] : undefined;
    if (!hash) throw new CrlError(`unsupported CRL signature algorithm ${algorithmOid}`);
    const fields = children(tbsTlv);
    let i = fields[0]?.tag === 0x02 ? 1 : 0; // optional version
    i++; // signature AlgorithmIdentifier (the outer one is authoritative)
    const issuer = fields[i++]!;
    const thisUpdate = decodeTime(fields[i++]!);
    if (!fields[i] || (fields[i]!.tag !== 0x17 && fields[i]!.tag !== 0x18)) throw new CrlError('the CRL has no nextUpdate: it would count as current forever');
    const nextUpdate = decodeTime(fields[i++]!);
    const revoked = new Set<string>();
    if (fields[i]?.tag === 0x30) for (const entry of children(fields[i++]!)) revoked.add(integerHex(children(entry)[0]!));
    let hasCriticalExtension = false;
    if (fields[i]?.tag === 0xa0) {
      for (const extension of children(children(fields[i]!)[0]!)) {
        const parts = children(extension);
        if (parts.length === 3 && parts[1]!.tag === 0x01 && content(parts[1]!)[0] !== 0) hasCriticalExtension = true;
      }
    }
    return {
      issuer: Buffer.from(encoded(issuer)),
      thisUpdate,
      nextUpdate,
      revoked,
      tbs: Buffer.from(encoded(tbsTlv)),
      hash,
      signature: Buffer.from(content(signatureBits).subarray(1)), // skip the unused-bits octet
      hasCriticalExtension,
    };
  } catch (error) {
    if (error instanceof CrlError) throw error;
    throw new CrlError(`malformed CRL: ${(error as Error).message}`);
  }
}

/** The issuer Name of a certificate, as DER bytes (what a CRL's issuer must equal). */
function issuerOf(certificate: X509Certificate): Buffer {
  const tbs = children(readTlv(certificate.raw))[0]!;
  const fields = children(tbs);
  return Buffer.from(encoded(fields[fields[0]!.tag === 0xa0 ? 3 : 2]!));
}

export class CrlRevocationChecker implements RevocationChecker {
  private readonly crls: ParsedCrl[];

  constructor(
    crls: readonly Uint8Array[],
    private readonly now: () => Date = () => new Date(),
  ) {
    this.crls = crls.map(parseCrl);
  }

  static fromFiles(paths: readonly string[], now?: () => Date): CrlRevocationChecker {
    return new CrlRevocationChecker(
      paths.map((path) => pemOrDer(readFileSync(path))),
      now,
    );
  }

  async check(certificate: X509Certificate, issuer: X509Certificate): Promise<RevocationStatus> {
    const name = issuerOf(certificate);
    const at = this.now();
    const serial = normalizeSerial(certificate.serialNumber);
    let current = false;
    for (const crl of this.crls) {
      if (crl.hasCriticalExtension || !crl.issuer.equals(name)) continue;
      if (!cryptoVerify(crl.hash, crl.tbs, issuer.publicKey, crl.signature)) continue;
      if (at < crl.thisUpdate || at > crl.nextUpdate) continue;
      if (crl.revoked.has(serial)) return 'revoked';
      current = true;
    }
    return current ? 'good' : 'unknown';
  }
}

function pemOrDer(data: Buffer): Buffer {
  const text = data.subarray(0, 64).toString('latin1');
  if (!text.includes('-----BEGIN')) return data;
  const body = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(data.toString('latin1'));
  if (!body) throw new CrlError('no PEM CRL found');
  return Buffer.from(body[1]!.replace(/\s+/g, ''), 'base64');
}
