/**
 * What a request's fields mean, past their shape: one standalone check per field, each failing
 * with its own error code. A field means the same on every hop, so the same functions run in the
 * background on page and portal requests (before any dialog) and in the host on every native
 * request (parseCommandArguments, before any card contact); the two sides cannot disagree.
 */
import { isInAuthTokenDomain } from '../auth-token.ts';
import { base64ToBytes } from '../base64.ts';
import { USER_TIMEOUT_MS } from '../constants.ts';
import { HASH_INFO, type HashFunction, parseDigestInfo } from '../digest-info.ts';
import { JpkiError } from '../errors.ts';
import { isValidChallengeNonce } from '../nonce.ts';
import { isValidOrigin } from '../origin.ts';

/** The shortest user-interaction timeout a page may ask for. */
const MIN_USER_TIMEOUT_MS = 1_000;

export function checkOrigin(origin: string): void {
  if (!isValidOrigin(origin)) throw new JpkiError('ERR_JPKI_INVALID_ORIGIN');
}

export function checkChallengeNonce(nonce: string): void {
  if (!isValidChallengeNonce(nonce)) throw new JpkiError('ERR_JPKI_INVALID_NONCE');
}

/** Every hash must be exactly as long as its function's output. */
export function checkHashes(hashFunction: HashFunction, hashes: readonly string[]): void {
  const { length } = HASH_INFO[hashFunction];
  if (!hashes.every((hash) => base64ToBytes(hash).length === length)) {
    throw new JpkiError('ERR_JPKI_INVALID_HASH', `every hash must be ${length} bytes for ${hashFunction}`);
  }
}

/**
 * What a portal page has the card sign: each a DigestInfo of one of the four hash functions, and
 * never a login token's block (else an allow-listed page could have another site's token signed).
 */
export function checkPortalDigestInfos(digestInfos: readonly string[]): void {
  const data = digestInfos.map(base64ToBytes);
  if (data.some(isInAuthTokenDomain)) throw new JpkiError('ERR_JPKI_INVALID_HASH', 'a login token block is not portal data');
  if (!data.every((bytes) => parseDigestInfo(bytes) !== null)) throw new JpkiError('ERR_JPKI_INVALID_HASH', 'not a SHA-1/256/384/512 DigestInfo');
}

/** A page may shorten the user-interaction timeout, never lengthen it: clamped, not refused. */
export function clampUserTimeout(requestedMs: number): number {
  return Math.min(USER_TIMEOUT_MS, Math.max(MIN_USER_TIMEOUT_MS, Math.floor(requestedMs)));
}

/** The fields checked by meaning, wherever they appear (page requests, native arguments). */
export interface MeaningfulFields {
  readonly origin?: string;
  readonly challengeNonce?: string;
  readonly hashes?: readonly string[];
  readonly hashFunction?: HashFunction;
  readonly digestInfo?: string;
  readonly digestInfos?: readonly string[];
}

/** Runs the check of every field present (after the schema has passed); other fields have no meaning to check. */
export function checkFields(fields: MeaningfulFields & { readonly [other: string]: unknown }): void {
  if (fields.origin !== undefined) checkOrigin(fields.origin);
  if (fields.challengeNonce !== undefined) checkChallengeNonce(fields.challengeNonce);
  if (fields.hashes !== undefined) {
    if (fields.hashFunction === undefined) throw new JpkiError('ERR_JPKI_INVALID_HASH', 'hashes without their hashFunction');
    checkHashes(fields.hashFunction, fields.hashes);
  }
  if (fields.digestInfo !== undefined) checkPortalDigestInfos([fields.digestInfo]);
  if (fields.digestInfos !== undefined) checkPortalDigestInfos(fields.digestInfos);
}
