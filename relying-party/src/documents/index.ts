/** Signing files and PDFs in the browser, the server's half (docs/document-signing.md). */
export {
  completeDocumentSignature,
  prepareFileSignature,
  preparePdfSignature,
  type CompletedDocumentSignature,
  type DocumentSignatureOptions,
  type PreparedDocumentSignature,
} from './document-signature.ts';
