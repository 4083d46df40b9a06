/** The challenge nonce of `authenticate` (docs/PROTOCOL.md): base64, 44–128 characters (≥ 32 bytes). */
import { isBase64 } from './base64.ts';

export const NONCE_MIN_LENGTH = 44;
export const NONCE_MAX_LENGTH = 128;

export function isValidChallengeNonce(nonce: unknown): nonce is string {
  return typeof nonce === 'string' && nonce.length >= NONCE_MIN_LENGTH && nonce.length <= NONCE_MAX_LENGTH && isBase64(nonce);
}
