/**
 * e-Tax's internal detached layout (docs/xml-signature.md § The e-Tax layout): the procedure
 * element inside a `DATA` root carries an `id`, and a sibling Signature right after it holds one
 * Reference `URI="#<id>"` — inclusive C14N 1.0, rsa-sha256, sha256, the certificate in KeyInfo.
 * The source is the one public e-Tax-signed example (a 2020 prototype), not the NTA's
 * specification, which is not public.
 *
 *   prepared = prepareDetachedXmlSignature(xml, 'RSH0010') → page: sign([prepared.hash], 'SHA-256')
 *   → completeXmlSignature(prepared, signatures[0], certificate)   (the same step as enveloped)
 *   verifyDetachedXmlSignature(signedXml) → { valid, certificate, signedReferences, reason }
 */
import { createHash, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import { C14N, SHA256, SIGNATURE_METHODS, XMLDSIG_NS } from './algorithms.ts';
import { canonicalizeElement } from './canonicalize.ts';
import { parseStrictXml } from './strict-parse.ts';
import { XML_LIMITS, xmlBoundsProblem } from './xml-bounds.ts';
import {
  newPlaceholder,
  preparedSignature,
  prepareWithinBounds,
  sha256Base64,
  signatureMarkup,
  XmlSignatureError,
  type PreparedXmlSignature,
} from './xml-signature.ts';
import {
  algorithmOf,
  base64Content,
  checkedDocument,
  elementChildren,
  Invalid,
  keyInfoCertificate,
  onlyChild,
  rsaKeyOf,
  type XmlVerification,
  type XmlVerifyOptions,
} from './xml-verify.ts';

/** An XML `id` value as e-Tax writes them (NCName-like). */
const ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/**
 * Signs the child of the root whose `id` is `id`; the Signature goes right after it. The same
 * bounds-first preparation as prepareXmlSignature (XmlSignatureError for every refusal), then DOM
 * walks and canonicalize.ts — not xml-crypto's SignedXml, whose XPath (`//*` to find SignedInfo)
 * sorts in document order at a cost quadratic in sibling elements. The document is serialized
 * back as SignedXml does (xmldom, a carriage return as a character reference).
 */
export function prepareDetachedXmlSignature(xml: string, id: string): PreparedXmlSignature {
  if (!ID.test(id)) throw new XmlSignatureError(`"${id}" is not an id this layout signs`);
  return prepareWithinBounds(xml, 'verifyDetachedXmlSignature', (document) => {
    const root = document.documentElement!;
    const target = elementChildren(root).find((child) => child.getAttribute('id') === id);
    if (!target || countIds(root, id) !== 1) throw new XmlSignatureError(`no child of the root has id="${id}", or more than one element has it`);
    const digest = sha256Base64(canonicalizeElement(C14N, target));
    const placeholder = newPlaceholder();
    const markup = signatureMarkup({ canonicalization: C14N, uri: `#${id}`, transforms: [C14N], digest, placeholder });
    // In the document, SignedInfo's inclusive C14N takes in the namespaces in scope where the Signature sits.
    const signature = root.insertBefore(document.importNode(parseStrictXml(markup).documentElement!, true), target.nextSibling) as Element;
    const signedInfo = canonicalizeElement(C14N, onlyChild(signature, 'SignedInfo'));
    const prepared = new XMLSerializer().serializeToString(document as never).replace(/\r/g, '&#xD;');
    const outOfBounds = xmlBoundsProblem(prepared, { ...XML_LIMITS, maxBytes: XML_LIMITS.maxBytes - 8192, maxElements: XML_LIMITS.maxElements - 3 });
    if (outOfBounds) throw new XmlSignatureError(`${outOfBounds}: verifyDetachedXmlSignature would refuse it`);
    return preparedSignature(prepared, placeholder, signedInfo);
  });
}

/**
 * Checks the layout and the cryptography; pass `certificate` to JpkiVerifier.verifySignature for
 * trust. Trust `signedReferences[0]` (the canonical signed element), not the rest of the document:
 * only that element is signed. Never throws for a bad document.
 */
export function verifyDetachedXmlSignature(xml: string, options: XmlVerifyOptions = {}): XmlVerification {
  let certificate: string | null = null;
  try {
    const document = checkedDocument(xml, options.limits);
    const root = document.documentElement!;
    const signatures = document.getElementsByTagNameNS(XMLDSIG_NS, 'Signature');
    if (signatures.length !== 1) throw new Invalid(`${signatures.length} Signature elements; exactly one is accepted`);
    const signature = signatures[0]!;
    if (signature.parentNode !== root) throw new Invalid('the Signature is not a child of the root (DATA)');
    const signedInfo = onlyChild(signature, 'SignedInfo');
    const canonicalization = algorithmOf(onlyChild(signedInfo, 'CanonicalizationMethod'));
    if (canonicalization !== C14N) throw new Invalid(`canonicalization ${canonicalization}: this layout uses C14N 1.0`);
    const method = SIGNATURE_METHODS[algorithmOf(onlyChild(signedInfo, 'SignatureMethod'))];
    if (method?.digestMethod !== SHA256) throw new Invalid('the signature method is not rsa-sha256');
    certificate = keyInfoCertificate(signature);
    const canonicalSignedInfo = canonicalizeElement(C14N, signedInfo);
    const signatureValue = base64Content(onlyChild(signature, 'SignatureValue'), 'SignatureValue');
    if (!cryptoVerify('sha256', Buffer.from(canonicalSignedInfo, 'utf8'), rsaKeyOf(certificate), signatureValue)) {
      throw new Invalid('the signature does not verify over SignedInfo with the KeyInfo certificate');
    }
    // The reference, from the SignedInfo that was verified; its target, the element right before the Signature.
    const { id, digest } = idReference(parseStrictXml(canonicalSignedInfo).documentElement!);
    const target = previousElement(signature);
    if (!target || target.getAttribute('id') !== id) throw new Invalid(`the element right before the Signature is not the one with id="${id}"`);
    if (countIds(root, id) !== 1) throw new Invalid(`id="${id}" is not unique in the document`);
    const signedElement = canonicalizeElement(C14N, target);
    const actual = createHash('sha256').update(signedElement, 'utf8').digest();
    if (actual.length !== digest.length || !timingSafeEqual(actual, digest)) throw new Invalid('the element does not match the signed digest');
    return { valid: true, certificate, signedReferences: [signedElement], signedDocument: document, reason: null };
  } catch (error) {
    return { valid: false, certificate, signedReferences: [], signedDocument: null, reason: (error as Error).message };
  }
}

/** Exactly one Reference, URI="#id", no transform but one C14N 1.0, sha256. */
function idReference(signedInfo: Element): { id: string; digest: Buffer } {
  const references = elementChildren(signedInfo).filter((e) => e.namespaceURI === XMLDSIG_NS && e.localName === 'Reference');
  if (references.length !== 1) throw new Invalid(`${references.length} References; exactly one is accepted`);
  const reference = references[0]!;
  const uri = reference.getAttribute('URI') ?? '';
  if (!uri.startsWith('#') || !ID.test(uri.slice(1))) throw new Invalid(`the Reference URI "${uri}" is not "#id"`);
  const transforms = elementChildren(reference).find((e) => e.localName === 'Transforms');
  const algorithms = transforms ? elementChildren(transforms).map(algorithmOf) : [];
  if (algorithms.some((a) => a !== C14N) || algorithms.length > 1) throw new Invalid(`transforms ${algorithms.join(', ')}: only C14N 1.0 is accepted`);
  if (algorithmOf(onlyChild(reference, 'DigestMethod')) !== SHA256) throw new Invalid('the digest method is not sha256');
  return { id: uri.slice(1), digest: base64Content(onlyChild(reference, 'DigestValue'), 'DigestValue') };
}

function previousElement(node: Node): Element | null {
  for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) if (sibling.nodeType === 1) return sibling as Element;
  return null;
}

function countIds(root: Element, id: string): number {
  let count = root.getAttribute('id') === id ? 1 : 0;
  const all = root.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) if (all[i]!.getAttribute('id') === id) count++;
  return count;
}
