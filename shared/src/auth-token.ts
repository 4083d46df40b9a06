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
 */

/** `jpki-bridge/auth/1` and a NUL: 19 bytes. */
export const AUTH_BLOCK_LABEL = Uint8Array.from([...'jpki-bridge/auth/1'].map((c) => c.charCodeAt(0)).concat(0));

/** The token's `format`: not web-eid:1.0, whose signature is over a plain DigestInfo. */
export const AUTH_TOKEN_FORMAT = 'jpki-bridge:1';
/** RSASSA-PKCS1-v1_5 padding (the card's) over the block above. */
export const AUTH_TOKEN_ALGORITHM = 'RS256-JPKI-BLOCK';

/** The block the card signs for a token, from the 32-byte SHA-256(SHA-256(origin) ‖ SHA-256(nonce)). */
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
