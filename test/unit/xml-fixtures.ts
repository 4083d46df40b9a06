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
