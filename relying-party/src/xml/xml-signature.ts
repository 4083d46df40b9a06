/**
 * Enveloped XMLDSig (rsa-sha256, exc-c14n, enveloped-signature transform) for e-Tax-like
 * documents, where the private key is on the card and the card is reached through the browser.
 *
 * Two steps with a round trip to the page between them:
 *   1. prepareXmlSignature(xml): xml-crypto's SignedXml builds the Reference and the SignedInfo as
 *      usual, but its signature algorithm is replaced by one that only records the canonical
 *      SignedInfo and returns a unique placeholder. The site sends SHA-256(c14n(SignedInfo)) to
 *      the page, which calls `sign([hash], 'SHA-256')`; the card signs DigestInfo(that hash),
 *      which is exactly RSASSA-PKCS1-v1_5-SHA256 over the canonical SignedInfo.
 *   2. completeXmlSignature(prepared, signature, certificate): checks the signature against the
 *      certificate's key over the recorded SignedInfo, then puts it in place of the placeholder and
 *      adds KeyInfo/X509Data/X509Certificate after SignatureValue (KeyInfo is not signed).
 * Reusing SignedXml keeps canonicalization and reference digests in one well-tested library; the
 * only thing deferred is the one RSA private-key operation. The replacement is textual so that the
 * document's bytes outside the signature are exactly what was prepared.
 */
import { verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { ENVELOPED, EXC_C14N, SHA256 } from './algorithms.ts';
import { deferredSigner, signedInfoHash } from './deferred-signer.ts';
import { XML_LIMITS, xmlBoundsProblem } from './xml-bounds.ts';

/** Everything step 2 needs; plain JSON so that a site can keep it in a session between requests. */
export interface PreparedXmlSignature {
  /** The document with the Signature element in place and a placeholder SignatureValue. */
  xml: string;
  placeholder: string;
  /** Canonical (exc-c14n) SignedInfo: what the signature covers. */
  signedInfo: string;
  /** SHA-256 of `signedInfo`, base64: the hash to pass to `sign([hash], 'SHA-256')`. */
  hash: string;
  hashFunction: 'SHA-256';
}

export class XmlSignatureError extends Error {}

/** Throws XmlSignatureError when the signed document would be outside XML_LIMITS (it could not be verified). */
export function prepareXmlSignature(xml: string): PreparedXmlSignature {
  const { signer, placeholder, signedInfo } = deferredSigner(EXC_C14N);
  signer.addReference({
    xpath: '/*',
    isEmptyUri: true,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: SHA256,
  });
  signer.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  const signedInfoText = signedInfo();
  if (signedInfoText === null) throw new XmlSignatureError('xml-crypto did not produce a SignedInfo');
  const prepared = signer.getSignedXml();
  // Room for what completeXmlSignature adds (KeyInfo/X509Data/X509Certificate, ≤ 8 KB of base64).
  const outOfBounds = xmlBoundsProblem(prepared, { ...XML_LIMITS, maxBytes: XML_LIMITS.maxBytes - 8192, maxElements: XML_LIMITS.maxElements - 3 });
  if (outOfBounds) throw new XmlSignatureError(`${outOfBounds}: verifyXmlSignature would refuse it`);
  return {
    xml: prepared,
    placeholder,
    signedInfo: signedInfoText,
    hash: signedInfoHash(signedInfoText),
    hashFunction: 'SHA-256',
  };
}

/**
 * Inserts the card's signature and certificate. Throws XmlSignatureError when the signature does
 * not verify over the prepared SignedInfo with the certificate's key (nothing is returned then).
 * Whether the certificate is trustworthy is the verifier's question (JpkiVerifier.verifySignature).
 */
export function completeXmlSignature(prepared: PreparedXmlSignature, signatureBase64: string, certificateBase64: string): string {
  const certificate = new X509Certificate(Buffer.from(certificateBase64, 'base64'));
  const signature = Buffer.from(signatureBase64, 'base64');
  if (!cryptoVerify('sha256', Buffer.from(prepared.signedInfo, 'utf8'), certificate.publicKey, signature)) {
    throw new XmlSignatureError('the signature does not verify over the SignedInfo with this certificate');
  }
  const parts = prepared.xml.split(prepared.placeholder);
  if (parts.length !== 2) throw new XmlSignatureError('the prepared document does not hold exactly one placeholder');
  const [before, after] = parts as [string, string];
  const closing = '</SignatureValue>';
  if (!after.startsWith(closing)) throw new XmlSignatureError('unexpected Signature layout');
  const keyInfo = `<KeyInfo><X509Data><X509Certificate>${certificate.raw.toString('base64')}</X509Certificate></X509Data></KeyInfo>`;
  return `${before}${signature.toString('base64')}${closing}${keyInfo}${after.slice(closing.length)}`;
}
