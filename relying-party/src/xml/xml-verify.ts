/**
 * Verification of an enveloped XMLDSig over a whole document, in the order that keeps an
 * unauthenticated document cheap:
 *   1. bounds on the text (xml-bounds.ts) — before any parsing;
 *   2. a strict parse (strict-parse.ts): no DOCTYPE, no warning;
 *   3. the SignatureValue against the KeyInfo certificate's key over the canonical SignedInfo —
 *      before any reference is digested;
 *   4. the one Reference, read from the SignedInfo that was verified: URI="" with the
 *      enveloped-signature transform, digested with the hash of the signature method.
 * Canonicalization is xml-crypto's (its c14n classes and its ancestor-namespace rule, so the
 * bytes are those xml-crypto signs; canonicalize.ts). Its `checkSignature` is not used: it digests
 * references first and finds nodes with XPath, whose document-order sort costs O(n²) on wide
 * documents (20 000 sibling elements: minutes). Finding the nodes by DOM walks, as here, is linear.
 * Against wrapping, nothing a whole-document enveloped signature never needs is accepted: no
 * processing instruction (xml-crypto renders one as text), nothing but the document element
 * (and the XML declaration) at the top, the Signature the last child of the document element, and
 * in it only SignedInfo, SignatureValue and KeyInfo.
 */
import { createHash, timingSafeEqual, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { isBase64 } from '@jpki-bridge/shared';
import { C14N, CANONICALIZATIONS, ENVELOPED, SIGNATURE_METHODS, XMLDSIG_NS } from './algorithms.ts';
import { canonicalize, canonicalizeElement } from './canonicalize.ts';
import { xmlBoundsProblem, type XmlLimits } from './xml-bounds.ts';
import { foreignContentProblem, parseStrictXml } from './strict-parse.ts';

export interface XmlVerification {
  valid: boolean;
  /** The certificate from KeyInfo, base64 DER, when there is one. */
  certificate: string | null;
  /** The canonical XML that the signature covers (what a site should trust, not the input). */
  signedReferences: string[];
  /**
   * When valid: the parsed document that was digested — the input without its Signature. Read the
   * signed data from here (or from `signedReferences`), never from the input text. Null otherwise.
   */
  signedDocument: Document | null;
  /** Why the document is not valid (for logs; not for the user), or null. */
  reason: string | null;
}

export interface XmlVerifyOptions {
  /** Tighter (or, for a known large document type, looser) bounds than XML_LIMITS; the others stay. */
  limits?: Partial<XmlLimits>;
}

/** A refusal: its message becomes the result's `reason` (detached-signature.ts throws it too). */
export class Invalid extends Error {}

/**
 * Checks an enveloped signature whose one Reference covers the whole document (URI="" +
 * enveloped-signature), with the key taken from KeyInfo. Only the cryptography: pair it with
 * JpkiVerifier.verifySignature for the certificate's trust. Never throws for a bad document.
 */
export function verifyXmlSignature(xml: string, options: XmlVerifyOptions = {}): XmlVerification {
  let certificate: string | null = null;
  try {
    const document = checkedDocument(xml, options.limits);
    const signature = onlySignature(document);
    const signedInfo = onlyChild(signature, 'SignedInfo');
    const canonicalizationMethod = onlyChild(signedInfo, 'CanonicalizationMethod');
    if (canonicalizationMethod.firstChild) throw new Invalid('CanonicalizationMethod parameters (InclusiveNamespaces) are not accepted');
    const canonicalization = algorithmOf(canonicalizationMethod);
    if (!CANONICALIZATIONS.includes(canonicalization)) throw new Invalid(`canonicalization ${canonicalization} is not accepted`);
    const signatureMethod = algorithmOf(onlyChild(signedInfo, 'SignatureMethod'));
    const method = Object.hasOwn(SIGNATURE_METHODS, signatureMethod) ? SIGNATURE_METHODS[signatureMethod]! : null;
    if (!method) throw new Invalid(`signature method ${signatureMethod} is not accepted (rsa-sha256/384/512 only)`);
    certificate = keyInfoCertificate(signature);
    const key = rsaKeyOf(certificate);

    // 3. Authenticate SignedInfo before anything is digested.
    const canonicalSignedInfo = canonicalizeElement(canonicalization, signedInfo);
    const signatureValue = base64Content(onlyChild(signature, 'SignatureValue'), 'SignatureValue');
    if (!cryptoVerify(method.hash, Buffer.from(canonicalSignedInfo, 'utf8'), key, signatureValue)) {
      throw new Invalid('the signature does not verify over SignedInfo with the KeyInfo certificate');
    }

    // 4. The reference, from the bytes that were signed (not from the input's DOM).
    const reference = wholeDocumentReference(parseStrictXml(canonicalSignedInfo).documentElement!, method.digestMethod);
    signature.parentNode!.removeChild(signature); // the enveloped-signature transform
    const signedBytes = canonicalize(reference.canonicalization, document.documentElement!, []);
    const digest = createHash(method.hash).update(signedBytes, 'utf8').digest();
    if (digest.length !== reference.digest.length || !timingSafeEqual(digest, reference.digest)) {
      throw new Invalid('the document does not match the signed digest');
    }
    return { valid: true, certificate, signedReferences: [signedBytes], signedDocument: document, reason: null };
  } catch (error) {
    // Anything a hostile document makes the parser or the canonicalizer throw is a refusal too.
    return { valid: false, certificate, signedReferences: [], signedDocument: null, reason: (error as Error).message };
  }
}

/**
 * Exactly one ds:Signature: the last element child of the document element (enveloped, where
 * prepareXmlSignature and xml-crypto's "append" put it), holding SignedInfo, SignatureValue and
 * KeyInfo in that order and nothing else but whitespace (no ds:Object, no foreign element).
 */
/** The document parsed strictly after its bounds, with nothing outside the root: the start of every verification. */
export function checkedDocument(xml: string, limits?: Partial<XmlLimits>): Document {
  if (typeof xml !== 'string') throw new Invalid('the document is not a string');
  const outOfBounds = xmlBoundsProblem(xml, limits);
  if (outOfBounds) throw new Invalid(outOfBounds);
  const document = parseStrictXml(xml);
  const foreign = foreignContentProblem(document);
  if (foreign) throw new Invalid(foreign);
  return document;
}

function onlySignature(document: Document): Element {
  const signatures = document.getElementsByTagNameNS(XMLDSIG_NS, 'Signature');
  if (signatures.length !== 1) throw new Invalid(`${signatures.length} Signature elements; exactly one is accepted`);
  const signature = signatures[0]!;
  const root = document.documentElement!;
  if (signature === root) throw new Invalid('the Signature is the document element: nothing is enveloped');
  if (signature.parentNode !== root || elementChildren(root).at(-1) !== signature) {
    throw new Invalid('the Signature is not the last element of the document element');
  }
  const children = elementChildren(signature).map((child) =>
    child.namespaceURI === XMLDSIG_NS ? child.localName : `{${child.namespaceURI ?? ''}}${child.localName}`,
  );
  if (children.join(' ') !== 'SignedInfo SignatureValue KeyInfo') {
    throw new Invalid(`the Signature holds ${children.join(', ')}; only SignedInfo, SignatureValue and KeyInfo are accepted`);
  }
  for (let node = signature.firstChild; node; node = node.nextSibling) {
    if ((node.nodeType === 3 || node.nodeType === 4) && !/^[\t\n\r ]*$/.test((node as Text).data)) throw new Invalid('the Signature holds text');
  }
  return signature;
}

/** The one direct ds:`localName` child of `parent`. */
export function onlyChild(parent: Element, localName: string): Element {
  let found: Element | null = null;
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== 1) continue;
    const element = node as Element;
    if (element.namespaceURI !== XMLDSIG_NS || element.localName !== localName) continue;
    if (found) throw new Invalid(`more than one ${localName} in ${parent.localName}`);
    found = element;
  }
  if (!found) throw new Invalid(`no ${localName} in ${parent.localName}`);
  return found;
}

export function elementChildren(parent: Element): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) out.push(node as Element);
  return out;
}

export function algorithmOf(element: Element): string {
  const algorithm = element.getAttribute('Algorithm');
  if (!algorithm) throw new Invalid(`${element.localName} has no Algorithm`);
  return algorithm;
}

/** base64Binary content (XML allows whitespace inside), strictly decoded. */
export function base64Content(element: Element, what: string): Buffer {
  const text = (element.textContent ?? '').replace(/[\t\n\r ]+/g, '');
  if (!isBase64(text)) throw new Invalid(`${what} is not base64`);
  return Buffer.from(text, 'base64');
}

/** The one KeyInfo/X509Data/X509Certificate, base64 without whitespace. */
export function keyInfoCertificate(signature: Element): string {
  const keyInfo = onlyChild(signature, 'KeyInfo');
  const certificates = keyInfo.getElementsByTagNameNS(XMLDSIG_NS, 'X509Certificate');
  if (certificates.length !== 1) throw new Invalid(`${certificates.length} X509Certificate elements in KeyInfo; exactly one is accepted`);
  return base64Content(certificates[0]!, 'X509Certificate').toString('base64');
}

export function rsaKeyOf(certificateBase64: string): KeyObject {
  let key: KeyObject;
  try {
    key = new X509Certificate(Buffer.from(certificateBase64, 'base64')).publicKey;
  } catch {
    throw new Invalid('the KeyInfo certificate is not X.509');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Invalid('the KeyInfo certificate does not hold an RSA key');
  return key;
}

interface WholeDocumentReference {
  /** The canonicalization that turns the node-set into the digested octets. */
  canonicalization: string;
  digest: Buffer;
}

/**
 * Against signature wrapping: one Reference, URI="" (the whole document), the enveloped-signature
 * transform first, then at most one canonicalization (inclusive c14n when none is named, as
 * XMLDSig converts a node-set to octets). Anything else — an `#id` reference that would leave the
 * rest of the document unsigned, XPath or InclusiveNamespaces parameters — is refused.
 */
function wholeDocumentReference(signedInfo: Element, digestMethod: string): WholeDocumentReference {
  const references = elementChildren(signedInfo).filter((e) => e.namespaceURI === XMLDSIG_NS && e.localName === 'Reference');
  if (references.length !== 1) throw new Invalid(`${references.length} References; exactly one is accepted`);
  const reference = references[0]!;
  if (!reference.hasAttribute('URI') || reference.getAttribute('URI') !== '') throw new Invalid('the Reference does not cover the whole document (URI="")');
  const transforms = elementChildren(onlyChild(reference, 'Transforms')).map((transform) => {
    if (transform.namespaceURI !== XMLDSIG_NS || transform.localName !== 'Transform') throw new Invalid('unexpected element in Transforms');
    if (elementChildren(transform).length > 0) throw new Invalid('Transform parameters are not accepted');
    return algorithmOf(transform);
  });
  const [first, canonicalization = C14N, ...rest] = transforms;
  if (first !== ENVELOPED || rest.length > 0 || !CANONICALIZATIONS.includes(canonicalization)) {
    throw new Invalid(`transforms ${transforms.join(', ')} are not "enveloped-signature then one c14n"`);
  }
  const used = algorithmOf(onlyChild(reference, 'DigestMethod'));
  if (used !== digestMethod) throw new Invalid(`digest method ${used} does not match the signature method (${digestMethod} expected)`);
  return { canonicalization, digest: base64Content(onlyChild(reference, 'DigestValue'), 'DigestValue') };
}
