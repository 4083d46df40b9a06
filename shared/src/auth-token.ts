/**
 * The login token's signed block, kept apart from everything else the authentication key signs.
 *
 * The portal surface (`launchApp` mode 01) must sign whatever bytes a portal page sends, with the
 * same key. Had the token signed an ordinary SHA-256 DigestInfo, an allow-listed page could
 * compute one for another site's origin and nonce and have the card sign it (a forged login).
 * So the token signs a block that is not a DigestInfo: an ASCII label, a NUL, then
 * SHA-256(SHA-256(origin) ‖ SHA-256(challengeNonce)). The host refuses to sign any portal data
 * that starts with the label, and the verifier accepts a token only over exactly this block.
 * A DER DigestInfo starts with 0x30 ('0'); the label starts with 'j', so the two never meet.
 * The host (which has the card sign it) and the verifier (which checks it) both build it here.
 */

/** `jpki-bridge/auth/1` and a NUL: 19 bytes. */
export const AUTH_BLOCK_LABEL = Uint8Array.from([...'jpki-bridge/auth/1'].map((c) => c.charCodeAt(0)).concat(0));

/** The token's `format`: not web-eid:1.0, whose signature is over a plain DigestInfo. */
export const AUTH_TOKEN_FORMAT = 'jpki-bridge:1';
/** RSASSA-PKCS1-v1_5 padding (the card's) over the block above. */
export const AUTH_TOKEN_ALGORITHM = 'RS256-JPKI-BLOCK';

/** SHA-256 as the caller has it (node:crypto in the host and the verifier): shared/ stays free of Node. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

const utf8 = new TextEncoder();

/**
 * The 32-byte hash a token binds: SHA-256(SHA-256(origin) ‖ SHA-256(challengeNonce)), each string
 * as UTF-8. `originHash`, when given, is SHA-256(origin) already computed (the verifier keeps its
 * site's).
 */
export function authTokenHash(sha256: Sha256, origin: string, challengeNonce: string, originHash: Uint8Array = sha256(utf8.encode(origin))): Uint8Array {
  const joined = new Uint8Array(64);
  joined.set(originHash, 0);
  joined.set(sha256(utf8.encode(challengeNonce)), 32);
  return sha256(joined);
}

/** The block the card signs for a token, from the 32-byte authTokenHash. */
export function buildAuthBlock(tokenHash: Uint8Array): Uint8Array {
  if (tokenHash.length !== 32) throw new RangeError(`the token hash must be 32 bytes, got ${tokenHash.length}`);
  const out = new Uint8Array(AUTH_BLOCK_LABEL.length + 32);
  out.set(AUTH_BLOCK_LABEL, 0);
  out.set(tokenHash, AUTH_BLOCK_LABEL.length);
  return out;
}

/** True when `data` starts with the token label: such data is a token's, never a portal's. */
export function isInAuthTokenDomain(data: Uint8Array): boolean {
  return data.length >= AUTH_BLOCK_LABEL.length && AUTH_BLOCK_LABEL.every((byte, i) => data[i] === byte);
}
