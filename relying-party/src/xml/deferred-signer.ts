/**
 * xml-crypto's SignedXml with its RSA-SHA256 replaced by one that does not sign: it records the
 * canonical SignedInfo (what the card must sign, as DigestInfo(SHA-256(it))) and writes a unique
 * placeholder where the SignatureValue goes. The internal detached layout (detached-signature.ts)
 * uses it: xml-crypto places the Signature after the referenced element and digests it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { ErrorFirstCallback, SignatureAlgorithm } from 'xml-crypto';
import { RSA_SHA256 } from './algorithms.ts';

export interface DeferredSigner {
  signer: SignedXml;
  placeholder: string;
  /** The canonical SignedInfo once computeSignature has run (null before, or if xml-crypto made none). */
  signedInfo(): string | null;
}

export function deferredSigner(canonicalizationAlgorithm: string): DeferredSigner {
  const placeholder = `PENDING-CARD-SIGNATURE-${randomBytes(16).toString('hex')}`;
  let signedInfo: string | null = null;

  class DeferredRsaSha256 implements SignatureAlgorithm {
    getSignature(signedInfoCanon: unknown, _key: unknown, callback?: ErrorFirstCallback<string>): string {
      signedInfo = String(signedInfoCanon);
      if (callback) callback(null, placeholder);
      return placeholder;
    }
    verifySignature(): boolean {
      throw new Error('DeferredRsaSha256 only prepares signatures');
    }
    getAlgorithmName(): string {
      return RSA_SHA256;
    }
  }

  const signer = new SignedXml({
    // Never used as a key: DeferredRsaSha256 ignores it. SignedXml only insists that one is set.
    privateKey: 'deferred-to-the-card',
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm,
  });
  signer.SignatureAlgorithms[RSA_SHA256] = DeferredRsaSha256 as unknown as new () => SignatureAlgorithm;
  return {
    signer,
    placeholder,
    signedInfo: () => signedInfo,
  };
}

/** SHA-256 of the canonical SignedInfo, base64: the hash for `sign([hash], 'SHA-256')`. */
export function signedInfoHash(signedInfo: string): string {
  return createHash('sha256').update(signedInfo, 'utf8').digest('base64');
}
