/**
 * What a request's fields mean, past their shape: one standalone check per field, each failing
 * with its own error code. A field means the same on every hop, so the same functions run in the
 * background on page and portal requests (before any dialog) and in the host on every native
 * request (parseCommandArguments, before any card contact); the two sides cannot disagree.
 */
import { isInAuthTokenDomain } from '../auth-token.ts';
import { base64ToBytes } from '../base64.ts';
import { MAX_SIGN_INPUT } from '../card.ts';
import { USER_TIMEOUT_MS } from '../constants.ts';
import { HASH_INFO, type HashFunction } from '../digest-info.ts';
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
 * What a portal page has the card sign (`digest`): the bytes go to the card as they are, as real
 * portal clients send them — not necessarily a DigestInfo — so each must be 1 to MAX_SIGN_INPUT
 * bytes, and never a login token's block (else an allow-listed page could have another site's
 * token signed).
 */
export function checkPortalDigests(digests: readonly string[]): void {
  const data = digests.map(base64ToBytes);
  if (data.some(isInAuthTokenDomain)) throw new JpkiError('ERR_JPKI_INVALID_HASH', 'a login token block is not portal data');
  if (!data.every((bytes) => bytes.length >= 1 && bytes.length <= MAX_SIGN_INPUT)) {
    throw new JpkiError('ERR_JPKI_INVALID_HASH', `each digest must be 1 to ${MAX_SIGN_INPUT} bytes`);
  }
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
  readonly digest?: string;
  readonly digests?: readonly string[];
}

/** Runs the check of every field present (after the schema has passed); other fields have no meaning to check. */
export function checkFields(fields: MeaningfulFields & { readonly [other: string]: unknown }): void {
  if (fields.origin !== undefined) checkOrigin(fields.origin);
  if (fields.challengeNonce !== undefined) checkChallengeNonce(fields.challengeNonce);
  if (fields.hashes !== undefined) {
    if (fields.hashFunction === undefined) throw new JpkiError('ERR_JPKI_INVALID_HASH', 'hashes without their hashFunction');
    checkHashes(fields.hashFunction, fields.hashes);
  }
  if (fields.digest !== undefined) checkPortalDigests([fields.digest]);
  if (fields.digests !== undefined) checkPortalDigests(fields.digests);
}
