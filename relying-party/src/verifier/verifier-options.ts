/** The verifier's configuration and the inputs of its calls (docs/verifier.md describes each). */
import type { HashFunction } from '@jpki-bridge/shared';
import type { NonceStore } from './nonce-store.ts';
import type { PolicyOids } from './policy.ts';
import type { RevocationChecker } from './revocation.ts';
import type { TrustAnchor } from './trust-anchors.ts';

export interface VerifierOptions {
  /** Default: bundledJpkiRoots(), the real J-LIS roots shipped in roots/. */
  trustAnchors?: readonly TrustAnchor[];
  /** Policy OIDs that mark each certificate kind. Default: J-LIS production. */
  policies?: PolicyOids;
  /** The origin tokens must be bound to, e.g. `https://example.jp` (may be given per call instead). */
  origin?: string;
  /** Default: a MemoryNonceStore (one process). */
  nonceStore?: NonceStore;
  /**
   * Required, so that running without revocation is a decision written in the site's code:
   * a RevocationChecker (results say `revocation: 'good'`; revoked is REVOKED; a checker that
   * cannot answer is REVOCATION_UNKNOWN unless `allowUnknownRevocation`), or `'not-checked'` —
   * J-LIS answers revocation queries for certified verifiers only — and every result then says
   * `revocation: 'not-checked'`.
   */
  revocation: RevocationChecker | 'not-checked';
  /** With a checker: accept its 'unknown' (a stale CRL, say) as success with `revocation: 'unknown'`. Default false. */
  allowUnknownRevocation?: boolean;
  /** verifySignature: accept SHA-1 hashes (old documents only: SHA-1 collisions are practical). Default false: WEAK_HASH. */
  allowSha1?: boolean;
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
  /** As the portal answer carries it: base64 DER without padding (padded is accepted too). */
  certificate: string;
  origin?: string;
}

export interface PortalChallenge {
  nonce: string;
  /** DER DigestInfo, base64: the `digest` of `launchApp` mode 01. */
  digestInfo: string;
}
