/**
 * Enveloped XMLDSig (rsa-sha256, exc-c14n, enveloped-signature transform) for e-Tax-like
 * documents, where the private key is on the card and the card is reached through the browser.
 *
 * Two steps with a round trip to the page between them:
 *   1. prepareXmlSignature(xml): after the bounds and a strict parse, the document is digested
 *      with xml-crypto's exclusive canonicalizer, and a Signature whose SignatureValue is a unique
 *      placeholder is appended to the document element as text. The site sends
 *      SHA-256(c14n(SignedInfo)) to the page, which calls `sign([hash], 'SHA-256')`; the card signs
 *      DigestInfo(that hash), which is exactly RSASSA-PKCS1-v1_5-SHA256 over the canonical SignedInfo.
 *   2. completeXmlSignature(prepared, signature, certificate): checks the signature against the
 *      certificate's key over the recorded SignedInfo, then puts it in place of the placeholder and
 *      adds KeyInfo/X509Data/X509Certificate after SignatureValue (KeyInfo is not signed).
 * Canonicalization stays in one well-tested library (xml-crypto's canonicalizers); its SignedXml is
 * not used because it parses the document twice, selects with XPath and serializes it again (over
 * 1 s of CPU for a 1 MiB document). The insertion is textual so that the document's bytes outside
 * the Signature are exactly the input's; tests check the result with xml-crypto's own verifier.
 */
import { createHash, randomBytes, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { ENVELOPED, EXC_C14N, RSA_SHA256, SHA256, XMLDSIG_NS } from './algorithms.ts';
import { canonicalize, canonicalizeElement } from './canonicalize.ts';
import { XML_LIMITS, xmlBoundsProblem, type XmlLimits } from './xml-bounds.ts';
import { foreignContentProblem, parseStrictXml, XmlParseError } from './strict-parse.ts';

/** Everything step 2 needs; plain JSON so that a site can keep it in a session between requests. */
export interface PreparedXmlSignature {
  /** The document with the Signature element in place and a placeholder SignatureValue. */
  xml: string;
  placeholder: string;
  /** Canonical SignedInfo (exc-c14n enveloped, C14N 1.0 in e-Tax's layout): what the signature covers. */
  signedInfo: string;
  /** SHA-256 of `signedInfo`, base64: the hash to pass to `sign([hash], 'SHA-256')`. */
  hash: string;
  hashFunction: 'SHA-256';
}

export class XmlSignatureError extends Error {}

/**
 * What the Signature adds (≈ 20 elements, ≈ 12 attributes, one namespace declaration, and in
 * completeXmlSignature KeyInfo/X509Data/X509Certificate with ≤ 8 KB of base64): a document within
 * these limits is, once signed, within XML_LIMITS — so verifyXmlSignature can check it.
 */
const UNSIGNED_LIMITS: Readonly<XmlLimits> = {
  ...XML_LIMITS,
  maxBytes: XML_LIMITS.maxBytes - 16 * 1024,
  maxDepth: XML_LIMITS.maxDepth - 3,
  maxElements: XML_LIMITS.maxElements - 32,
  maxAttributes: XML_LIMITS.maxAttributes - 32,
  maxNamespaceDeclarations: XML_LIMITS.maxNamespaceDeclarations - 1,
  maxNamespaceDeclarationsPerElement: XML_LIMITS.maxNamespaceDeclarationsPerElement - 1,
  maxAttributesPerElement: XML_LIMITS.maxAttributesPerElement - 1,
};

/**
 * Throws XmlSignatureError — before any parsing or canonicalization — when the document is not a
 * string or would be outside XML_LIMITS once signed; after the strict parse, when it holds what
 * verifyXmlSignature refuses (a processing instruction, content outside the document element);
 * and for every parser or signer failure (not well-formed, a DOCTYPE, a parser warning).
 */
export function prepareXmlSignature(xml: string): PreparedXmlSignature {
  return prepareWithinBounds(xml, 'verifyXmlSignature', (document) => {
    const digest = sha256Base64(canonicalize(EXC_C14N, document.documentElement!, []));
    const placeholder = newPlaceholder();
    const signature = signatureMarkup({ canonicalization: EXC_C14N, uri: '', transforms: [ENVELOPED, EXC_C14N], digest, placeholder });
    // Exclusive c14n of SignedInfo depends on nothing outside the Signature (it declares its own
    // namespace), so the Signature alone gives the bytes the card signs.
    const signatureElement = parseStrictXml(signature).documentElement!;
    const signedInfo = canonicalizeElement(EXC_C14N, signatureElement.firstChild as Element);
    return preparedSignature(appendToDocumentElement(xml, document, signature), placeholder, signedInfo);
  });
}

/**
 * What both layouts do before they sign: the bounds before any parsing (a document within
 * UNSIGNED_LIMITS is within XML_LIMITS once signed), the strict parse, nothing `verifier` refuses
 * outside the document element; then `sign(document)`. Every failure is an XmlSignatureError.
 */
export function prepareWithinBounds(xml: string, verifier: string, sign: (document: Document) => PreparedXmlSignature): PreparedXmlSignature {
  if (typeof xml !== 'string') throw new XmlSignatureError('the document is not a string');
  const outOfBounds = xmlBoundsProblem(xml, UNSIGNED_LIMITS);
  if (outOfBounds) throw new XmlSignatureError(`${outOfBounds} once signed: ${verifier} would refuse it`);
  try {
    // The same strict reading the verifier applies: what xmldom would recover from is refused here.
    const document = parseStrictXml(xml);
    const foreign = foreignContentProblem(document);
    if (foreign) throw new XmlSignatureError(`${foreign}: ${verifier} would refuse it`);
    return sign(document);
  } catch (error) {
    if (error instanceof XmlSignatureError) throw error;
    const why = error instanceof XmlParseError ? 'the document is not strict well-formed XML' : 'the document could not be signed';
    throw new XmlSignatureError(`${why}: ${(error as Error).message}`);
  }
}

export interface SignatureMarkupInput {
  canonicalization: string;
  /** The Reference's URI: '' (the whole document) or '#id'. */
  uri: string;
  transforms: readonly string[];
  /** base64 SHA-256 of the reference's canonical bytes. */
  digest: string;
  placeholder: string;
}

/** The Signature this project writes (rsa-sha256, one sha256 Reference), its SignatureValue the placeholder; KeyInfo comes in completeXmlSignature. */
export function signatureMarkup({ canonicalization, uri, transforms, digest, placeholder }: SignatureMarkupInput): string {
  return [
    `<Signature xmlns="${XMLDSIG_NS}"><SignedInfo>`,
    `<CanonicalizationMethod Algorithm="${canonicalization}"/><SignatureMethod Algorithm="${RSA_SHA256}"/>`,
    `<Reference URI="${uri}"><Transforms>${transforms.map((transform) => `<Transform Algorithm="${transform}"/>`).join('')}</Transforms>`,
    `<DigestMethod Algorithm="${SHA256}"/><DigestValue>${digest}</DigestValue></Reference>`,
    `</SignedInfo><SignatureValue>${placeholder}</SignatureValue></Signature>`,
  ].join('');
}

/** A SignatureValue placeholder no document holds by chance. */
export function newPlaceholder(): string {
  return `PENDING-CARD-SIGNATURE-${randomBytes(16).toString('hex')}`;
}

/** The prepared document, with the canonical SignedInfo and its SHA-256 (base64): the hash for `sign([hash], 'SHA-256')`. */
export function preparedSignature(xml: string, placeholder: string, signedInfo: string): PreparedXmlSignature {
  return { xml, placeholder, signedInfo, hash: sha256Base64(signedInfo), hashFunction: 'SHA-256' };
}

export function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/**
 * `xml` with `markup` as the last child of its document element, the rest byte for byte. After the
 * document element there is only whitespace (foreignContentProblem), so its end tag is the last `</`.
 */
function appendToDocumentElement(xml: string, document: Document, markup: string): string {
  const end = xml.trimEnd().length;
  if (!document.documentElement!.firstChild && xml.startsWith('/>', end - 2)) {
    return `${xml.slice(0, end - 2)}>${markup}</${document.documentElement!.tagName}>${xml.slice(end)}`;
  }
  const at = xml.lastIndexOf('</', end);
  return `${xml.slice(0, at)}${markup}${xml.slice(at)}`;
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
