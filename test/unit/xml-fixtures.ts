/**
 * Documents for the XML signature tests and bench: signatures made by another signer's software
 * (xml-crypto's SignedXml with a key in memory), and forged ones — a Signature element with any
 * certificate and no key behind it, built as text so that a large document costs nothing to make.
 */
import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { ENVELOPED, EXC_C14N, RSA_SHA256, SHA256, XMLDSIG_NS } from '../../relying-party/src/xml/algorithms.ts';
import type { Issued } from './verifier-fixtures.ts';

export interface SignWithOptions {
  xpath?: string;
  isEmptyUri?: boolean;
  transforms?: string[];
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  canonicalizationAlgorithm?: string;
  /** Extra algorithms to register with SignedXml (it has no SHA-384). */
  register?: (signer: SignedXml) => void;
}

/** An enveloped signature appended to the document element, by xml-crypto (default: whole document, rsa-sha256). */
export function signWith(leaf: Issued, xml: string, options: SignWithOptions = {}): string {
  const signer = new SignedXml({
    privateKey: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicCert: leaf.pem,
    signatureAlgorithm: options.signatureAlgorithm ?? RSA_SHA256,
    canonicalizationAlgorithm: options.canonicalizationAlgorithm ?? EXC_C14N,
  });
  options.register?.(signer);
  signer.addReference({
    xpath: options.xpath ?? '/*',
    isEmptyUri: options.isEmptyUri ?? options.xpath === undefined,
    transforms: options.transforms ?? [ENVELOPED, EXC_C14N],
    digestAlgorithm: options.digestAlgorithm ?? SHA256,
  });
  signer.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return signer.getSignedXml();
}

/** A well-formed Signature over the whole document whose DigestValue and SignatureValue are random. */
export function forgedSignature(certificateBase64: string): string {
  return [
    `<Signature xmlns="${XMLDSIG_NS}"><SignedInfo>`,
    `<CanonicalizationMethod Algorithm="${EXC_C14N}"/><SignatureMethod Algorithm="${RSA_SHA256}"/>`,
    `<Reference URI=""><Transforms><Transform Algorithm="${ENVELOPED}"/><Transform Algorithm="${EXC_C14N}"/></Transforms>`,
    `<DigestMethod Algorithm="${SHA256}"/><DigestValue>${randomBytes(32).toString('base64')}</DigestValue></Reference>`,
    `</SignedInfo><SignatureValue>${randomBytes(256).toString('base64')}</SignatureValue>`,
    `<KeyInfo><X509Data><X509Certificate>${certificateBase64}</X509Certificate></X509Data></KeyInfo></Signature>`,
  ].join('');
}

/** `count` sibling elements of about `bytesEach` bytes under one root, and a forged Signature. */
export function wideForgedDocument(certificateBase64: string, count: number, bytesEach: number): string {
  const item = `<i>${'1'.repeat(Math.max(1, bytesEach - 7))}</i>`;
  return `<Return>${item.repeat(count)}${forgedSignature(certificateBase64)}</Return>`;
}

/** `depth` nested elements with a forged Signature in the innermost. */
export function deepForgedDocument(certificateBase64: string, depth: number): string {
  return `${'<a>'.repeat(depth)}${forgedSignature(certificateBase64)}${'</a>'.repeat(depth)}`;
}

/**
 * The worst namespace flood XML_LIMITS admits once signed: every namespace declaration the bounds
 * allow (32 a element, 127 in all, leaving one for the Signature), then as many elements as allowed,
 * each with a prefixed name and a prefixed attribute — so every name is looked up among all the
 * declarations in scope — and the rest of the bytes in text. Unsigned (pass it to signWith or add a
 * forged Signature).
 */
export function namespaceFloodWithinLimits(limits: { maxElements: number; maxAttributes: number; maxBytes: number }): string {
  const perElement = 31;
  const holders = 4; // 4 × 31 = 124 declarations, on the root and three nested holders
  const declarations = (k: number) => Array.from({ length: perElement }, (_, i) => ` xmlns:n${k * perElement + i}="urn:example:ns:${k}:${i}"`).join('');
  const items = Math.min(limits.maxElements - holders - 40, limits.maxAttributes - 40 - holders * perElement);
  const last = holders * perElement - 1;
  const item = (i: number) => `<n${i % (last + 1)}:i n${(i * 7) % (last + 1)}:a="${i}">1</n${i % (last + 1)}:i>`;
  let body = '';
  for (let i = 0; i < items; i++) body += item(i);
  const open = `<Return${declarations(0)}><h1${declarations(1)}><h2${declarations(2)}><h3${declarations(3)}>`;
  const close = '</h3></h2></h1></Return>';
  const room = limits.maxBytes - 24 * 1024 - open.length - close.length - body.length;
  return `${open}${body}<Text>${'x'.repeat(Math.max(0, room))}</Text>${close}`;
}

/** The worst attribute flood XML_LIMITS admits once signed: elements of the most attributes allowed, prefixed, long values. */
export function attributeFloodWithinLimits(limits: { maxAttributes: number; maxAttributesPerElement: number; maxBytes: number }): string {
  const perElement = limits.maxAttributesPerElement - 2;
  const elements = Math.floor((limits.maxAttributes - 40) / perElement);
  const valueLength = Math.floor((limits.maxBytes - 32 * 1024) / (elements * perElement)) - 12;
  const value = 'v'.repeat(Math.max(1, valueLength));
  const element = `<p:e${Array.from({ length: perElement }, (_, i) => ` p:a${i}="${value}"`).join('')}/>`;
  return `<Return xmlns:p="urn:example:p">${element.repeat(elements)}</Return>`;
}

/** `xml` with a forged Signature appended to its document element. */
export function withForgedSignature(xml: string, certificateBase64: string): string {
  const at = xml.lastIndexOf('</');
  return `${xml.slice(0, at)}${forgedSignature(certificateBase64)}${xml.slice(at)}`;
}
