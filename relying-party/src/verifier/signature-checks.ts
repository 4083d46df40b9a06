/**
 * Opening an RSASSA-PKCS1-v1_5 signature with the certificate's key and comparing what the card
 * signed with what it should have signed. One RSA public operation each (publicDecrypt), which
 * also tells apart a signature that is not this key's (SIGNATURE_INVALID) from a genuine one over
 * other data (the caller's mismatch code).
 */
import { constants, publicDecrypt, type KeyObject } from 'node:crypto';
import { isInAuthTokenDomain } from '@jpki-bridge/shared/auth-token';
import { VerificationError } from './errors.ts';

/**
 * The block a login token's signature must open to, exactly (PKCS#1 v1.5 padding around the raw
 * block, as the card makes it). publicDecrypt is also the faster call: crypto.verify cannot say
 * "no DigestInfo" for RSA (with a null algorithm OpenSSL 3 falls back to SHA-256) and would hash.
 * A genuine token block for another origin or nonce is ORIGIN_MISMATCH; anything else this key
 * signed — a DigestInfo from the portal surface — is SIGNATURE_INVALID.
 */
export function checkAuthBlock(key: KeyObject, expected: Uint8Array, signature: Buffer): void {
  const recovered = openSignature(key, signature);
  if (recovered.equals(expected)) return;
  if (isInAuthTokenDomain(recovered)) {
    throw new VerificationError('ORIGIN_MISMATCH', 'the token is genuine but was made for another origin or challenge');
  }
  throw new VerificationError('SIGNATURE_INVALID', 'the signature is not over a login token block');
}

/** A signature over an expected DigestInfo (what `sign` and `launchApp` have the card sign). */
export function checkDigestInfo(key: KeyObject, expected: Uint8Array, signature: Buffer, mismatch: 'ORIGIN_MISMATCH' | 'SIGNATURE_INVALID'): void {
  if (openSignature(key, signature).equals(expected)) return;
  if (mismatch === 'ORIGIN_MISMATCH') {
    throw new VerificationError('ORIGIN_MISMATCH', 'the signature is genuine but was made for another origin or challenge');
  }
  throw new VerificationError('SIGNATURE_INVALID', 'the signature was made over other data');
}

function openSignature(key: KeyObject, signature: Buffer): Buffer {
  try {
    return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    throw new VerificationError('SIGNATURE_INVALID', 'the signature does not verify with the certificate');
  }
}
