/**
 * Path validation for JPKI's flat hierarchy: the end-entity certificate is issued directly by a
 * self-signed root, so the "chain" is one step: name chaining to an anchor (checkIssued, which also
 * matches the key identifiers), the anchor's signature on the certificate, the anchor's validity,
 * then the certificate's own validity at the given time.
 *
 * The outcome of the expensive part (DER parse + issuer signature) depends only on the
 * certificate bytes and the anchor set, so it is cached per certificate; validity and policy are
 * re-checked on every call because they depend on the clock and the operation.
 */
import type { KeyObject } from 'node:crypto';
import { isBase64 } from '@jpki-bridge/shared';
import { CertificateParseError, parseCertificate, type ParsedCertificate } from './certificate.ts';
import { VerificationError } from './errors.ts';
import type { TrustAnchor } from './trust-anchors.ts';

export interface ChainedCertificate {
  certificate: ParsedCertificate;
  anchor: TrustAnchor;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /**
   * The four validity bounds in ms, compared on every call: relational operators on Dates convert
   * each through Symbol.toPrimitive, eight conversions a call (~1 µs in the verifier bench).
   */
  window: { from: number; to: number; anchorFrom: number; anchorTo: number };
}

type CacheEntry = ChainedCertificate | VerificationError;

const CACHE_SIZE = 1024;

export class ChainValidator {
  /** Insertion-ordered: the oldest entry is dropped first (certificates are few and long-lived). */
  private readonly cache = new Map<string, { base64: string; entry: CacheEntry }>();

  constructor(private readonly anchors: readonly TrustAnchor[]) {
    if (anchors.length === 0) throw new Error('at least one trust anchor is required');
  }

  /** Throws VerificationError (CERTIFICATE_MALFORMED, UNTRUSTED_CERTIFICATE, CERTIFICATE_EXPIRED, …). */
  /** `at`: ms since the epoch (a number: no Date to allocate per call). */
  validate(certificateBase64: string, at: number): ChainedCertificate {
    const chained = this.chain(certificateBase64);
    const { window } = chained;
    const ms = at;
    if (ms < window.anchorFrom || ms > window.anchorTo) {
      throw new VerificationError('UNTRUSTED_CERTIFICATE', `the trust anchor ${chained.anchor.source} is not valid at ${new Date(at).toISOString()}`);
    }
    if (ms < window.from) throw new VerificationError('CERTIFICATE_NOT_YET_VALID', `valid from ${chained.notBefore.toISOString()}`);
    if (ms > window.to) throw new VerificationError('CERTIFICATE_EXPIRED', `expired at ${chained.notAfter.toISOString()}`);
    return chained;
  }

  private chain(certificateBase64: string): ChainedCertificate {
    // Keyed by the last 64 characters (the tail of the issuer's signature: unique per certificate)
    // and confirmed by comparing the whole string: hashing a fresh 2 KB string on every lookup
    // cost more than everything else the verifier adds to the RSA operation.
    const key = certificateBase64.slice(-64);
    const cached = this.cache.get(key);
    let entry: CacheEntry;
    if (cached && cached.base64 === certificateBase64) {
      entry = cached.entry;
    } else {
      entry = this.compute(certificateBase64);
      this.cache.set(key, { base64: certificateBase64, entry });
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    if (entry instanceof VerificationError) throw entry;
    return entry;
  }

  private compute(certificateBase64: string): CacheEntry {
    if (!isBase64(certificateBase64)) return new VerificationError('TOKEN_FORMAT', 'the certificate is not base64');
    let certificate: ParsedCertificate;
    try {
      certificate = parseCertificate(Buffer.from(certificateBase64, 'base64'));
    } catch (error) {
      if (error instanceof CertificateParseError) return new VerificationError('CERTIFICATE_MALFORMED', error.message);
      throw error;
    }
    if (certificate.isCa) return new VerificationError('UNTRUSTED_CERTIFICATE', 'a CA certificate is not an end-entity certificate');
    const { x509 } = certificate;
    for (const anchor of this.anchors) {
      if (!x509.checkIssued(anchor.certificate.x509)) continue;
      if (!x509.verify(anchor.certificate.x509.publicKey)) continue;
      return {
        certificate,
        anchor,
        publicKey: x509.publicKey,
        notBefore: new Date(x509.validFrom),
        notAfter: new Date(x509.validTo),
        window: {
          from: Date.parse(x509.validFrom),
          to: Date.parse(x509.validTo),
          anchorFrom: Date.parse(anchor.certificate.x509.validFrom),
          anchorTo: Date.parse(anchor.certificate.x509.validTo),
        },
      };
    }
    return new VerificationError('UNTRUSTED_CERTIFICATE', `issuer "${oneLine(x509.issuer)}" is not a configured trust anchor`);
  }
}

/** Node prints names one RDN per line; a DN on one line reads better in messages and pages. */
export function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}
