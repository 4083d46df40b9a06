/**
 * Signed PDFs made with the card (docs/document-signing.md):
 *   server: prepared = preparePdf(pdf, {reason}) → attrs = buildSignedAttributes({contentDigest: prepared.digest})
 *   page:   jpki.sign([attrs.hash], 'SHA-256') → {signatures, certificate}
 *   server: embedPdfSignature(prepared, assembleSignedData({signedAttributes: attrs, signature, certificates: [certificate]}))
 *   verify: verifyPdf(verifier, signedPdf) → every signature, the signer
 */
export { preparePdf, digestByteRange, SIGNATURE_ROOM, type PreparePdfOptions, type PreparedPdf, type PdfSubFilter } from './prepare.ts';
export { embedPdfSignature } from './embed.ts';
export { verifyPdf, type PdfResult, type PdfSignature } from './verify.ts';
