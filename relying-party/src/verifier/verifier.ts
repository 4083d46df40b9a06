/**
 * The relying party's verifier: login tokens, signatures over hashes, and the portal-compatible
 * login, all after the same certificate checks (docs/verifier.md).
 */
import { hash } from 'node:crypto';
import { buildDigestInfo, HASH_INFO, isValidOrigin } from '@jpki-bridge/shared';
import { AUTH_TOKEN_FORMAT, authTokenHash, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { ChainValidator, type ChainedCertificate } from './chain.ts';
import { failure, VerificationError } from './errors.ts';
import { readHolder } from './holder.ts';
import { decodeBase64, isAuthTokenShaped } from './inputs.ts';
import { MemoryNonceStore, type ConsumeResult, type NonceStore } from './nonce-store.ts';
import { JPKI_POLICY_OIDS, requireKind, type CertificateKind, type PolicyOids } from './policy.ts';
import { describe, type AuthResult, type AuthSuccess, type SignatureResult } from './result.ts';
import type { RevocationResult } from './revocation.ts';
import { checkAuthBlock, checkDigestInfo } from './signature-checks.ts';
import { bundledJpkiRoots } from './trust-anchors.ts';
import type { AuthTokenContext, PortalChallenge, PortalLoginInput, SignatureInput, VerifierOptions } from './verifier-options.ts';

export type { AuthTokenContext, PortalChallenge, PortalLoginInput, SignatureInput, VerifierOptions } from './verifier-options.ts';
export { isAuthTokenShaped } from './inputs.ts';

export class JpkiVerifier {
  readonly nonces: NonceStore;
  private readonly chains: ChainValidator;
  private readonly policies: PolicyOids;
  private lastOrigin: { origin: string; hash: Buffer } | undefined;
  private readonly kindChecked = new WeakMap<ChainedCertificate, CertificateKind>();

  constructor(private readonly options: VerifierOptions) {
    // For JavaScript callers, whom the type does not stop: no silent "not checked".
    if (options.revocation !== 'not-checked' && typeof options.revocation?.check !== 'function') {
      throw new TypeError("VerifierOptions.revocation is required: a RevocationChecker, or 'not-checked'");
    }
    this.chains = new ChainValidator(options.trustAnchors ?? bundledJpkiRoots());
    this.policies = options.policies ?? JPKI_POLICY_OIDS;
    this.nonces = options.nonceStore ?? new MemoryNonceStore();
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
      const signature = decodeBase64(token.signature, 'signature');
      const chained = this.checkCertificate(token.unverifiedCertificate, 'auth');
      const origin = this.expectedOrigin(context.origin);
      const pending = this.consumeNonce(context.nonce);
      if (pending) await pending;
      checkAuthBlock(chained.publicKey, buildAuthBlock(authTokenHash(sha256, origin, context.nonce, this.originHash(origin))), signature);
      return this.success(chained, 'auth');
    } catch (error) {
      return failure(error);
    }
  }

  /** A signature over a hash (jpki:sign), with the signing certificate; returns the holder's data. */
  async verifySignature(input: SignatureInput): Promise<SignatureResult> {
    try {
      // Request bodies arrive here untyped: every fault is a TOKEN_FORMAT that names it.
      if (typeof input !== 'object' || input === null) throw new VerificationError('TOKEN_FORMAT', 'the signature input is not an object');
      if (typeof input.hashFunction !== 'string' || !Object.hasOwn(HASH_INFO, input.hashFunction)) {
        throw new VerificationError('TOKEN_FORMAT', `hashFunction ${JSON.stringify(input.hashFunction)} is not one of ${Object.keys(HASH_INFO).join(', ')}`);
      }
      const digest = input.hash instanceof Uint8Array ? input.hash : decodeBase64(input.hash, 'hash');
      if (digest.length !== HASH_INFO[input.hashFunction].length) {
        throw new VerificationError(
          'TOKEN_FORMAT',
          `not a ${input.hashFunction} hash (${HASH_INFO[input.hashFunction].length} bytes expected, ${digest.length} given)`,
        );
      }
      if (input.hashFunction === 'SHA-1' && !this.options.allowSha1) {
        throw new VerificationError('WEAK_HASH', 'SHA-1 is not accepted (VerifierOptions.allowSha1 opts in)');
      }
      const signature = decodeBase64(input.signature, 'signature');
      const chained = this.checkCertificate(input.certificate, 'sign');
      checkDigestInfo(chained.publicKey, buildDigestInfo(input.hashFunction, digest), signature, 'SIGNATURE_INVALID');
      const result = await this.success(chained, 'sign');
      return result.ok ? { ...result, holder: readHolder(chained.certificate) } : result;
    } catch (error) {
      return failure(error);
    }
  }

  /**
   * The portal-compatible login (`launchApp` mode 01), for compatibility only: it is NOT bound to
   * the origin of the page where the user signed. The page hands the card an opaque DigestInfo and
   * nothing between page and card can read an origin inside it (the Mynaportal protocol carries
   * none), so a challenge this site issues can be signed on any other site on the user's portal
   * allow-list and relayed back. The digest binds this verifier's origin and a fresh nonce — a
   * challenge is good for this site only, once, for 5 minutes — and is distinct from a login
   * token's block, so the two cannot be confused. New sites use `jpki:authenticate` + verifyAuthToken.
   */
  async issueUnboundPortalChallenge(origin?: string): Promise<PortalChallenge> {
    const nonce = await this.nonces.issue();
    const digestInfo = buildDigestInfo('SHA-256', portalHash(this.expectedOrigin(origin), nonce));
    return { nonce, digestInfo: Buffer.from(digestInfo).toString('base64') };
  }

  async verifyUnboundPortalLogin(input: PortalLoginInput): Promise<AuthResult> {
    try {
      const signature = decodeBase64(input.signature, 'signature');
      const chained = this.checkCertificate(padBase64(input.certificate), 'auth');
      const origin = this.expectedOrigin(input.origin);
      await this.consumeNonce(input.nonce);
      const digestInfo = buildDigestInfo('SHA-256', portalHash(origin, input.nonce));
      checkDigestInfo(chained.publicKey, digestInfo, signature, 'ORIGIN_MISMATCH');
      return this.success(chained, 'auth');
    } catch (error) {
      return failure(error);
    }
  }

  /** The certificate checks alone: chain, validity, kind (policy + keyUsage). Throws VerificationError. */
  checkCertificate(certificateBase64: string, kind: CertificateKind): ChainedCertificate {
    // Sites hand request bodies straight in: a non-string is a bad input, not a crash.
    if (typeof certificateBase64 !== 'string') throw new VerificationError('TOKEN_FORMAT', 'the certificate is not base64');
    // Base64 strictness is checked by the chain validator on a cache miss (a hit was checked then).
    const chained = this.chains.validate(certificateBase64, this.options.now ? this.options.now().getTime() : Date.now());
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

  /**
   * Uses the nonce up (whatever the rest of the check says: one attempt per challenge). Returns
   * nothing for an in-process store, so the common case pays no promise; a shared store's answer
   * is a promise to await.
   */
  private consumeNonce(nonce: unknown): void | Promise<void> {
    if (typeof nonce !== 'string') throw new VerificationError('NONCE_UNKNOWN', 'no nonce');
    if (this.nonces.consumeSync) return checkNonceOutcome(this.nonces.consumeSync(nonce));
    return this.nonces.consume(nonce).then(checkNonceOutcome);
  }

  /**
   * The success result, after the revocation check. Without a checker it is returned at once, not
   * as a promise: an await per token is measurable next to one RSA operation (verifier bench).
   */
  private success(chained: ChainedCertificate, kind: CertificateKind): AuthResult | Promise<AuthResult> {
    if (this.options.revocation === 'not-checked') return this.result(chained, kind, 'not-checked');
    // Returned, not awaited, by the callers: its rejections (REVOKED, …) are turned into results here.
    return this.revocationStatus(chained).then((revocation) => this.result(chained, kind, revocation), failure);
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
    const checker = this.options.revocation as Exclude<VerifierOptions['revocation'], 'not-checked'>;
    const status = await checker.check(chained.certificate.x509, chained.anchor.certificate.x509);
    if (status === 'revoked') throw new VerificationError('REVOKED', 'the certificate is revoked');
    if (status === 'unknown' && !this.options.allowUnknownRevocation) {
      throw new VerificationError('REVOCATION_UNKNOWN', 'the revocation checker could not answer (allowUnknownRevocation opts in)');
    }
    return status;
  }
}

function checkNonceOutcome(outcome: ConsumeResult): void {
  if (outcome === 'ok') return;
  if (outcome === 'unknown') throw new VerificationError('NONCE_UNKNOWN', 'this verifier did not issue the nonce, or it was used or forgotten');
  if (outcome === 'reused') throw new VerificationError('NONCE_REUSED', 'the nonce was already used');
  throw new VerificationError('NONCE_EXPIRED', 'the nonce is older than 5 minutes');
}

/** crypto.hash (Node ≥ 20.12): one-shot, faster than createHash for small inputs. */
function sha256(data: string | Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

/** The portal answer's certificate is base64 without `=` padding (docs/PROTOCOL.md § Portal surface): padded again, anything else unchanged. */
function padBase64(value: string): string {
  // Sites hand request bodies straight in: a non-string goes on unchanged, for checkCertificate to refuse.
  return typeof value === 'string' && value.length % 4 !== 0 ? value.padEnd(value.length + 4 - (value.length % 4), '=') : value;
}

function portalHash(origin: string, nonce: string): Buffer {
  return sha256(`jpki-bridge portal-login\0${origin}\0${nonce}`);
}
