/** What sites hand the verifier straight from a request body, checked by hand for speed. */
import type { AuthToken } from '@jpki-bridge/shared';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT } from '@jpki-bridge/shared/auth-token';
import { VerificationError } from './errors.ts';

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

/**
 * Decodes strict padded base64. Node's decoder skips characters outside the alphabet and stops at
 * a misplaced `=`, so the output is exactly the length the input implies only when the input was
 * clean; comparing lengths is that check without a regex pass (≈2 µs on a signature, which
 * mattered in test/bench/verifier.bench.ts).
 */
export function decodeBase64(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || value.length === 0 || value.length % 4 !== 0) throw notBase64(what);
  if (value.includes('-') || value.includes('_')) throw notBase64(what); // Node also decodes base64url
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== (value.length / 4) * 3 - padding) throw notBase64(what);
  return bytes;
}

/** Not a closure inside decodeBase64: one allocated per call was measurable (verifier bench). */
function notBase64(what: string): VerificationError {
  return new VerificationError('TOKEN_FORMAT', `the ${what} is not base64`);
}
