/**
 * The verifier's own rejection codes. They are not the wire codes of shared/src/errors.ts (those
 * travel between page, extension and host); these are what a site's server learns about a token or
 * a signature it was handed. Append only, like the wire codes: sites may log or switch on them.
 */
export const VERIFIER_ERROR_CODES = [
  /** The token or input is not shaped as expected (format, algorithm, base64, hash length). */
  'TOKEN_FORMAT',
  /** The certificate is not DER X.509, or its extensions cannot be read. */
  'CERTIFICATE_MALFORMED',
  /** No configured trust anchor issued it (name chaining + issuer signature), or the anchor is not valid now. */
  'UNTRUSTED_CERTIFICATE',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  /** A signing certificate offered for login, an authentication certificate offered for signing, or neither policy. */
  'WRONG_CERTIFICATE_TYPE',
  /** The key made a valid signature, but over another origin (or another challenge) than the one expected. */
  'ORIGIN_MISMATCH',
  /** The verifier never issued this nonce (or forgot it long ago). */
  'NONCE_UNKNOWN',
  /** The nonce was already used once. */
  'NONCE_REUSED',
  /** The nonce is older than its lifetime (5 minutes). */
  'NONCE_EXPIRED',
  /** The signature does not verify with the certificate's key. */
  'SIGNATURE_INVALID',
  /** The revocation checker says the certificate is revoked. */
  'REVOKED',
  /** The revocation checker could not answer (and the verifier was not told `allowUnknownRevocation`). */
  'REVOCATION_UNKNOWN',
  /** A SHA-1 hash offered to verifySignature without `allowSha1`. */
  'WEAK_HASH',
  /** A CMS signature or a signed PDF is not shaped as this project makes and checks them (docs/document-signing.md). */
  'DOCUMENT_MALFORMED',
  /** The signature is sound but over other content: the file (or the PDF's signed byte ranges) changed. */
  'DIGEST_MISMATCH',
] as const;

export type VerifierErrorCode = (typeof VERIFIER_ERROR_CODES)[number];

export class VerificationError extends Error {
  readonly code: VerifierErrorCode;
  constructor(code: VerifierErrorCode, message: string) {
    super(message);
    this.name = 'VerificationError';
    this.code = code;
  }
}

/** The failure half of every verifier result. */
export interface VerificationFailure {
  ok: false;
  code: VerifierErrorCode;
  message: string;
}

export function failure(error: unknown): VerificationFailure {
  if (error instanceof VerificationError) return { ok: false, code: error.code, message: error.message };
  throw error;
}
