/**
 * Verifies a detached CMS signature: the messageDigest is the content's SHA-256, the
 * signingCertificateV2 (when present) names the signer's certificate, and the signature over the
 * signed attributes passes `JpkiVerifier.verifySignature` — chain to a trust anchor, validity now,
 * the signing policy and key usage, revocation — which also yields the holder.
 */
import { timingSafeEqual } from 'node:crypto';
import { failure, VerificationError } from '../verifier/errors.ts';
import type { SignatureResult, SignatureSuccess } from '../verifier/result.ts';
import type { JpkiVerifier } from '../verifier/verifier.ts';
import { parseDetachedCms } from './parse.ts';
import { sha256 } from './signed-attributes.ts';

export interface CmsSuccess extends SignatureSuccess {
  /** The signing time the signer claimed (a signed attribute, not a timestamp). */
  signingTime: Date | undefined;
}
export type CmsResult = CmsSuccess | Exclude<SignatureResult, SignatureSuccess>;

/** `content` is the signed bytes, or their SHA-256 when the caller hashed them itself (a PDF's ByteRange). */
export async function verifyDetachedCms(verifier: JpkiVerifier, cms: Uint8Array, content: { bytes: Uint8Array } | { sha256: Uint8Array }): Promise<CmsResult> {
  try {
    const parsed = parseDetachedCms(cms);
    const digest = 'bytes' in content ? sha256(content.bytes) : content.sha256;
    if (!sameBytes(parsed.messageDigest, digest)) throw new VerificationError('DIGEST_MISMATCH', 'the signature was made over other content');
    if (parsed.signingCertificateHash && !sameBytes(parsed.signingCertificateHash, sha256(parsed.signerCertificate))) {
      throw new VerificationError('DOCUMENT_MALFORMED', 'the signingCertificateV2 attribute names another certificate than the signer’s');
    }
    const result = await verifier.verifySignature({
      hash: sha256(parsed.signedAttributesDer),
      hashFunction: 'SHA-256',
      signature: Buffer.from(parsed.signature).toString('base64'),
      certificate: Buffer.from(parsed.signerCertificate).toString('base64'),
    });
    return result.ok ? { ...result, signingTime: parsed.signingTime } : result;
  } catch (error) {
    return failure(error);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
