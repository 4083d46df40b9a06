/**
 * A site's server side of "sign this file / this PDF in the browser with one PIN dialog"
 * (docs/document-signing.md): prepare → the page signs `hash` with `jpki:sign` → complete.
 *
 *   const prepared = preparePdfSignature(pdfBytes, { reason: '申請' });     // keep it in the session
 *   page:  const { signature, certificate } = await signDocument(prepared);  // one PIN dialog
 *   const done = await completeDocumentSignature(verifier, prepared, signature, certificate);
 *   if (done.ok) send(done.document);   // the signed PDF, or the .p7s of a file
 *
 * The signing certificate is readable only after the signing PIN, so a page that has not read it
 * before gets CMS without signingCertificateV2 (one dialog). A site that already holds the user's
 * signing certificate passes it: the attribute is included, and `jpki:sign` refuses another card.
 */
import { createHash } from 'node:crypto';
import { assembleSignedData } from '../cms/signed-data.ts';
import { buildSignedAttributes, type SignedAttributes } from '../cms/signed-attributes.ts';
import { verifyDetachedCms, type CmsSuccess } from '../cms/verify.ts';
import { embedPdfSignature } from '../pdf/embed.ts';
import { preparePdf, type PreparedPdf, type PreparePdfOptions } from '../pdf/prepare.ts';
import { SUBFILTER_ADOBE_PKCS7_DETACHED, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { verifyPdf } from '../pdf/verify.ts';
import type { VerificationFailure } from '../verifier/errors.ts';
import type { JpkiVerifier } from '../verifier/verifier.ts';

export interface PreparedDocumentSignature {
  /** What the page hands to `jpki:sign` (signDocument does). */
  hash: string;
  hashFunction: 'SHA-256';
  /** The signing certificate the site expects (base64 DER), when it knew it. */
  certificate?: string;
  /** Server-side state: keep it, do not send it to the page. */
  signedAttributes: SignedAttributes;
  contentDigest: Uint8Array;
  pdf?: PreparedPdf;
}

export type CompletedDocumentSignature = { ok: true; document: Uint8Array; result: CmsSuccess } | VerificationFailure;

export interface DocumentSignatureOptions {
  /** The user's signing certificate, base64 DER, when the site already holds it. */
  certificate?: string;
  signingTime?: Date;
}

/** A detached CAdES signature (`.p7s`) of any file. */
export function prepareFileSignature(content: Uint8Array, options: DocumentSignatureOptions = {}): PreparedDocumentSignature {
  return prepared(new Uint8Array(createHash('sha256').update(content).digest()), options);
}

/**
 * A signature inside the PDF (an incremental update). Its SubFilter says what the CMS will be:
 * ETSI.CAdES.detached when the site holds the certificate (signingCertificateV2 is included),
 * adbe.pkcs7.detached when it does not — PAdES requires that attribute, so claiming it without one
 * would be false. An explicit `subFilter` wins.
 */
export function preparePdfSignature(pdf: Uint8Array, options: DocumentSignatureOptions & PreparePdfOptions = {}): PreparedDocumentSignature {
  const signingTime = options.signingTime ?? new Date();
  const subFilter = options.subFilter ?? (options.certificate === undefined ? SUBFILTER_ADOBE_PKCS7_DETACHED : SUBFILTER_ETSI_CADES_DETACHED);
  const preparedPdf = preparePdf(pdf, { ...options, signingTime, subFilter });
  return { ...prepared(preparedPdf.digest, { ...options, signingTime }), pdf: preparedPdf };
}

/** Assembles the card's signature into the document and verifies the result whole (trust, policy, the holder). */
export async function completeDocumentSignature(
  verifier: JpkiVerifier,
  prepared: PreparedDocumentSignature,
  signature: string,
  certificate: string,
): Promise<CompletedDocumentSignature> {
  if (typeof signature !== 'string' || typeof certificate !== 'string')
    return { ok: false, code: 'TOKEN_FORMAT', message: 'the signature and the certificate must be base64 strings' };
  const cms = assembleSignedData({
    signedAttributes: prepared.signedAttributes,
    signature: Buffer.from(signature, 'base64'),
    certificates: [Buffer.from(certificate, 'base64')],
  });
  if (prepared.pdf) {
    const document = embedPdfSignature(prepared.pdf, cms);
    const result = await verifyPdf(verifier, document);
    return result.ok ? { ok: true, document, result: result.signer } : result;
  }
  const result = await verifyDetachedCms(verifier, cms, { sha256: prepared.contentDigest });
  return result.ok ? { ok: true, document: cms, result } : result;
}

function prepared(contentDigest: Uint8Array, options: DocumentSignatureOptions): PreparedDocumentSignature {
  const certificate = options.certificate !== undefined ? Buffer.from(options.certificate, 'base64') : undefined;
  const signedAttributes = buildSignedAttributes({ contentDigest, certificate, signingTime: options.signingTime });
  return {
    hash: Buffer.from(signedAttributes.hash).toString('base64'),
    hashFunction: 'SHA-256',
    ...(options.certificate !== undefined ? { certificate: options.certificate } : {}),
    signedAttributes,
    contentDigest,
  };
}
