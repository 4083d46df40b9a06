/**
 * The relying party's verifier (DESIGN §6): auth tokens, signatures over hashes, and the
 * portal-compatible login, all after the same certificate checks.
 */
import { hash, publicDecrypt, constants, timingSafeEqual, type KeyObject } from 'node:crypto';
import { buildDigestInfo, HASH_INFO, isValidOrigin, type AuthToken, type HashFunction } from '@jpki-bridge/shared';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, buildAuthBlock, isInAuthTokenDomain } from '@jpki-bridge/shared/auth-token';
import { ChainValidator, type ChainedCertificate } from './chain.ts';
import { failure, VerificationError } from './errors.ts';
import { readHolder } from './holder.ts';
import { MemoryNonceStore, type ConsumeResult, type NonceStore } from './nonce-store.ts';
import { JPKI_POLICY_OIDS, requireKind, type CertificateKind, type PolicyOids } from './policy.ts';
import { describe, type AuthResult, type AuthSuccess, type SignatureResult } from './result.ts';
import type { RevocationChecker, RevocationResult } from './revocation.ts';
import type { TrustAnchor } from './trust-anchors.ts';

export interface VerifierOptions {
  trustAnchors: readonly TrustAnchor[];
  /** Policy OIDs that mark each certificate kind. Default: J-LIS production. */
  policies?: PolicyOids;
  /** The origin tokens must be bound to, e.g. `https://example.jp` (may be given per call instead). */
  origin?: string;
  nonceStore?: NonceStore;
  revocation?: RevocationChecker;
  /** Reject with REVOCATION_UNKNOWN when the checker cannot answer. Default false (report 'unknown'). */
  requireRevocationStatus?: boolean;
  /** Injectable clock. */
  now?: () => Date;
}

export interface AuthTokenContext {
  /** The nonce this login attempt was given (from the session, or posted with the token). */
  nonce: string;
  /** Overrides the verifier's configured origin. */
  origin?: string;
}

export interface SignatureInput {
  /** The hash that was signed, base64 (or raw bytes). */
  hash: string | Uint8Array;
  hashFunction: HashFunction;
  /** RSASSA-PKCS1-v1_5 signature, base64. */
  signature: string;
  /** The signing certificate, base64 DER. */
  certificate: string;
}

export interface PortalLoginInput {
  nonce: string;
  signature: string;
  certificate: string;
  origin?: string;
}

export interface PortalChallenge {
  nonce: string;
  /** DER DigestInfo, base64: the `digest` of `launchApp` mode 01. */
  digestInfo: string;
}

export class JpkiVerifier {
  readonly nonces: NonceStore;
  private readonly chains: ChainValidator;
  private readonly policies: PolicyOids;
  private readonly now: () => Date;
  private lastOrigin: { origin: string; hash: Buffer } | undefined;
  private readonly kindChecked = new WeakMap<ChainedCertificate, CertificateKind>();

  constructor(private readonly options: VerifierOptions) {
    this.chains = new ChainValidator(options.trustAnchors);
    this.policies = options.policies ?? JPKI_POLICY_OIDS;
    this.nonces = options.nonceStore ?? new MemoryNonceStore();
    this.now = options.now ?? (() => new Date());
  }

  /** A challenge nonce for `authenticate(nonce)`: 32 random bytes, base64, single use, 5 minutes. */
  issueNonce(): Promise<string> {
    return this.nonces.issue();
  }

  /**
   * Verifies a `jpki-bridge:1` login token: shape, certificate, origin, nonce, then the signature,
   * which must open to exactly the token's labelled block (shared/src/auth-token.ts). A signature
   * over a DigestInfo — what a portal page can have the same key make — never passes.
   */
  async verifyAuthToken(token: unknown, context: AuthTokenContext): Promise<AuthResult> {
    try {
      if (!isAuthTokenShaped(token)) throw new VerificationError('TOKEN_FORMAT', `not a ${AUTH_TOKEN_FORMAT} token`);
      const { unverifiedCertificate } = token;
      if (typeof context.nonce !== 'string') throw new VerificationError('NONCE_UNKNOWN', 'no nonce');
      const signature = decodeBase64(token.signature, 'signature');
      const chained = this.checkCertificate(unverifiedCertificate, 'auth');
      const origin = this.expectedOrigin(context.origin);
      checkNonceOutcome(this.nonces.consumeSync ? this.nonces.consumeSync(context.nonce) : await this.nonces.consume(context.nonce));
      const signedData = Buffer.allocUnsafe(64);
      signedData.set(this.originHash(origin), 0);
      signedData.set(sha256(context.nonce), 32);
      checkAuthBlock(chained.publicKey, buildAuthBlock(sha256(signedData)), signature);
      return this.options.revocation ? await this.success(chained, 'auth') : this.result(chained, 'auth', 'not-checked');
    } catch (error) {
      return failure(error);
    }
  }

  /** A signature over a hash (jpki:sign), with the signing certificate; returns the holder's data. */
  async verifySignature(input: SignatureInput): Promise<SignatureResult> {
    try {
      const digest = typeof input.hash === 'string' ? decodeBase64(input.hash, 'hash') : input.hash;
      if (!Object.hasOwn(HASH_INFO, input.hashFunction) || digest.length !== HASH_INFO[input.hashFunction].length) {
        throw new VerificationError('TOKEN_FORMAT', `not a ${input.hashFunction} hash`);
      }
      const signature = decodeBase64(input.signature, 'signature');
      const chained = this.checkCertificate(input.certificate, 'sign');
      checkDigestInfo(chained.publicKey, buildDigestInfo(input.hashFunction, digest), signature, 'SIGNATURE_INVALID');
      const result = await this.success(chained, 'sign');
      return { ...result, holder: readHolder(chained.certificate) };
    } catch (error) {
      return failure(error);
    }
  }

  /**
   * The portal-compatible login (`launchApp` mode 01): the site hands the page a DigestInfo; the
   * card signs it with the authentication key. The digest binds the origin and a fresh nonce, in
   * a form distinct from an auth token's so the two can never be confused.
   */
  async issuePortalChallenge(origin?: string): Promise<PortalChallenge> {
    const nonce = await this.nonces.issue();
    const digestInfo = buildDigestInfo('SHA-256', portalHash(this.expectedOrigin(origin), nonce));
    return { nonce, digestInfo: Buffer.from(digestInfo).toString('base64') };
  }

  async verifyPortalLogin(input: PortalLoginInput): Promise<AuthResult> {
    try {
      const signature = decodeBase64(input.signature, 'signature');
      const chained = this.checkCertificate(input.certificate, 'auth');
      const origin = this.expectedOrigin(input.origin);
      await this.consumeNonce(input.nonce);
      const digestInfo = buildDigestInfo('SHA-256', portalHash(origin, input.nonce));
      checkDigestInfo(chained.publicKey, digestInfo, signature, 'ORIGIN_MISMATCH');
      return await this.success(chained, 'auth');
    } catch (error) {
      return failure(error);
    }
  }

  /** The certificate checks alone: chain, validity, kind (policy + keyUsage). Throws VerificationError. */
  checkCertificate(certificateBase64: string, kind: CertificateKind): ChainedCertificate {
    // Sites hand request bodies straight in: a non-string is a bad input, not a crash.
    if (typeof certificateBase64 !== 'string') throw new VerificationError('TOKEN_FORMAT', 'the certificate is not base64');
    // Base64 strictness is checked by the chain validator on a cache miss (a hit was checked then).
    const chained = this.chains.validate(certificateBase64, this.now());
    // The kind depends only on the certificate and this verifier's policies: check once per entry.
    if (this.kindChecked.get(chained) !== kind) {
      requireKind(chained.certificate, kind, this.policies);
      this.kindChecked.set(chained, kind);
    }
    return chained;
  }

  private expectedOrigin(override: string | undefined): string {
    const origin = override ?? this.options.origin;
    if (origin !== undefined && origin === this.lastOrigin?.origin) return origin;
    // A misconfigured site is a programming error, not a token's fault: throw, do not return a code.
    if (!isValidOrigin(origin)) throw new TypeError(`the expected origin ${String(origin)} is not a valid origin`);
    this.lastOrigin = { origin, hash: sha256(origin) };
    return origin;
  }

  /** SHA-256(origin), computed once for the site's (usually single) origin. */
  private originHash(origin: string): Buffer {
    return origin === this.lastOrigin?.origin ? this.lastOrigin.hash : sha256(origin);
  }

  private async consumeNonce(nonce: string): Promise<void> {
    if (typeof nonce !== 'string') throw new VerificationError('NONCE_UNKNOWN', 'no nonce');
    checkNonceOutcome(this.nonces.consumeSync ? this.nonces.consumeSync(nonce) : await this.nonces.consume(nonce));
  }

  private async success(chained: ChainedCertificate, kind: CertificateKind): Promise<AuthSuccess> {
    return this.result(chained, kind, await this.revocationStatus(chained));
  }

  private result(chained: ChainedCertificate, kind: CertificateKind, revocation: RevocationResult): AuthSuccess {
    const certificateInfo = describe(chained, kind);
    return {
      ok: true,
      certificateInfo,
      subject: certificateInfo.subject,
      serial: certificateInfo.serial,
      notAfter: certificateInfo.notAfter,
      revocation,
    };
  }

  private async revocationStatus(chained: ChainedCertificate): Promise<RevocationResult> {
    const checker = this.options.revocation;
    if (!checker) return 'not-checked';
    const status = await checker.check(chained.certificate.x509, chained.anchor.certificate.x509);
    if (status === 'revoked') throw new VerificationError('REVOKED', 'the certificate is revoked');
    if (status === 'unknown' && this.options.requireRevocationStatus) {
      throw new VerificationError('REVOCATION_UNKNOWN', 'the revocation status could not be determined');
    }
    return status;
  }
}

function checkNonceOutcome(outcome: ConsumeResult): void {
  if (outcome === 'ok') return;
  if (outcome === 'unknown') throw new VerificationError('NONCE_UNKNOWN', 'this verifier did not issue the nonce');
  if (outcome === 'reused') throw new VerificationError('NONCE_REUSED', 'the nonce was already used');
  throw new VerificationError('NONCE_EXPIRED', 'the nonce is older than 5 minutes');
}

/**
 * Opens the token's signature (RSASSA-PKCS1-v1_5 padding around the raw block, as the card makes
 * it) and requires exactly `expected`. One RSA public operation: publicDecrypt is also faster
 * than crypto.verify (no digest to compute), and crypto.verify cannot express "no DigestInfo"
 * for RSA — with a null algorithm OpenSSL 3 falls back to SHA-256. A genuine token block for
 * another origin or nonce is ORIGIN_MISMATCH; anything else this key signed (a DigestInfo from
 * the portal surface) is SIGNATURE_INVALID.
 */
function checkAuthBlock(key: KeyObject, expected: Uint8Array, signature: Buffer): void {
  const recovered = openSignature(key, signature);
  if (recovered.equals(expected)) return;
  if (isInAuthTokenDomain(recovered)) {
    throw new VerificationError('ORIGIN_MISMATCH', 'the token is genuine but was made for another origin or challenge');
  }
  throw new VerificationError('SIGNATURE_INVALID', 'the signature is not over a login token block');
}

function openSignature(key: KeyObject, signature: Buffer): Buffer {
  try {
    return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    throw new VerificationError('SIGNATURE_INVALID', 'the signature does not verify with the certificate');
  }
}

/**
 * Verifies a PKCS#1 v1.5 signature against an expected DigestInfo by recovering the signed
 * DigestInfo with the public key. Tells apart a signature that is not this key's (or was tampered
 * with: SIGNATURE_INVALID) from a genuine signature over other data (`mismatch`).
 */
function checkDigestInfo(key: KeyObject, expected: Uint8Array, signature: Buffer, mismatch: 'ORIGIN_MISMATCH' | 'SIGNATURE_INVALID'): void {
  const recovered = openSignature(key, signature);
  if (recovered.length === expected.length && timingSafeEqual(recovered, expected)) return;
  if (mismatch === 'ORIGIN_MISMATCH') {
    throw new VerificationError('ORIGIN_MISMATCH', 'the signature is genuine but was made for another origin or challenge');
  }
  throw new VerificationError('SIGNATURE_INVALID', 'the signature was made over other data');
}

/**
 * The shape of `authTokenSchema` (shared/src/protocol/native.ts), checked by hand: the verifier
 * runs on every login of a busy site, and the schema's base64 pass over the ~2 KB certificate
 * would be repeated on every call, where the chain cache already knows the certificate.
 * test/unit/verifier.test.ts checks that both agree on the cases that matter.
 */
export function isAuthTokenShaped(token: unknown): token is AuthToken {
  if (typeof token !== 'object' || token === null || Array.isArray(token)) return false;
  const t = token as Record<string, unknown>;
  return (
    t.format === AUTH_TOKEN_FORMAT &&
    t.algorithm === AUTH_TOKEN_ALGORITHM &&
    typeof t.unverifiedCertificate === 'string' &&
    t.unverifiedCertificate.length > 0 &&
    t.unverifiedCertificate.length <= 16_384 &&
    typeof t.signature === 'string' &&
    t.signature.length <= 4096 &&
    typeof t.appVersion === 'string'
  );
}

/** crypto.hash (Node ≥ 20.12): one-shot, several times faster than createHash for small inputs. */
function sha256(data: string | Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

function portalHash(origin: string, nonce: string): Buffer {
  return sha256(`jpki-bridge portal-login\0${origin}\0${nonce}`);
}

/**
 * Decodes strict padded base64. Node's decoder skips characters outside the alphabet and stops at
 * a misplaced `=`, so the output is exactly the length the input implies only when the input was
 * clean; comparing lengths is that check without a regex pass (≈2 µs on a signature, which
 * mattered in test/bench/verifier.bench.ts).
 */
function decodeBase64(value: unknown, what: string): Buffer {
  const invalid = () => new VerificationError('TOKEN_FORMAT', `the ${what} is not base64`);
  if (typeof value !== 'string' || value.length === 0 || value.length % 4 !== 0) throw invalid();
  if (value.includes('-') || value.includes('_')) throw invalid(); // Node also decodes base64url
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== (value.length / 4) * 3 - padding) throw invalid();
  return bytes;
}
