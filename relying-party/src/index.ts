/**
 * The relying-party package for Node servers (published as @jpki-bridge/verifier): the verifier
 * and the XML signature helper. The browser page library is a separate entry
 * (`@jpki-bridge/relying-party/page`, published as @jpki-bridge/page).
 *
 *   import { JpkiVerifier } from '@jpki-bridge/relying-party';
 *   const verifier = new JpkiVerifier({
 *     // trustAnchors: the J-LIS roots shipped in verifier/roots/ unless given (docs/verifier.md)
 *     origin: 'https://example.jp',
 *     // nonceStore: new RedisNonceStore(redisClient)   — when several servers share logins
 *     revocation: 'not-checked', // or CrlRevocationChecker.fromFiles([...]) — certified verifiers only
 *   });
 *   // login:   nonce = await verifier.issueNonce()  → page: jpki.authenticate(nonce) → token
 *   const login = await verifier.verifyAuthToken(token, { nonce });
 *   if (!login.ok) reject(login.code); else accept(login.certificateInfo.fingerprint256);
 *   // signing: verifier.verifySignature({hash, hashFunction, signature, certificate}) → holder
 *   // XML:     prepareXmlSignature(xml) → page: jpki.sign([prepared.hash], 'SHA-256')
 *   //          → completeXmlSignature(prepared, signatures[0], certificate)
 *   // PDF/file: preparePdfSignature(pdf) → page: jpki.signDocument(prepared)
 *   //          → completeDocumentSignature(verifier, prepared, signature, certificate)
 *
 * The public API, name by name: what is listed here is what the package promises; everything
 * else under verifier/ and xml/ is internal and may change.
 */
// The verifier and what its methods take and return.
export { JpkiVerifier } from './verifier/verifier.ts';
export type { AuthTokenContext, PortalChallenge, PortalLoginInput, SignatureInput, VerifierOptions } from './verifier/verifier-options.ts';
export type { AuthResult, AuthSuccess, CertificateInfo, SignatureResult, SignatureSuccess } from './verifier/result.ts';
export type { ChainedCertificate } from './verifier/chain.ts';
export type { ParsedCertificate } from './verifier/certificate.ts';
export type { Holder, Sex } from './verifier/holder.ts';
export { VERIFIER_ERROR_CODES, VerificationError, type VerificationFailure, type VerifierErrorCode } from './verifier/errors.ts';

// Trust anchors and certificate policies.
export {
  BUNDLED_JPKI_ROOTS_DIR,
  bundledJpkiRoots,
  loadTrustAnchors,
  trustAnchorsFrom,
  TrustAnchorError,
  type LoadOptions,
  type TrustAnchor,
} from './verifier/trust-anchors.ts';
export { CertificateParseError } from './verifier/certificate.ts';
export { JPKI_POLICY_OIDS, JPKI_TEST_POLICY_OIDS, mergePolicies, type CertificateKind, type PolicyOids } from './verifier/policy.ts';

// Nonce stores.
export { MemoryNonceStore, NONCE_LIFETIME_MS, type ConsumeResult, type MemoryNonceStoreOptions, type NonceStore } from './verifier/nonce-store.ts';
export { RedisNonceStore, type RedisCommandClient, type RedisNonceStoreOptions } from './verifier/redis-nonce-store.ts';

// Revocation.
export type { RevocationChecker, RevocationResult, RevocationStatus } from './verifier/revocation.ts';
export { CrlError, CrlRevocationChecker } from './verifier/crl.ts';

// XML signatures (enveloped XMLDSig).
export { completeXmlSignature, prepareXmlSignature, XmlSignatureError, type PreparedXmlSignature } from './xml/xml-signature.ts';
export { verifyXmlSignature, type XmlVerification, type XmlVerifyOptions } from './xml/xml-verify.ts';
export { XML_LIMITS, type XmlLimits } from './xml/xml-bounds.ts';
export { XmlParseError } from './xml/strict-parse.ts';
// e-Tax's internal detached XML layout (docs/xml-signature.md).
export { prepareDetachedXmlSignature, verifyDetachedXmlSignature } from './xml/detached-signature.ts';

// Signed documents: CMS (CAdES-BES) and PDF (docs/document-signing.md).
export {
  completeDocumentSignature,
  prepareFileSignature,
  preparePdfSignature,
  type CompletedDocumentSignature,
  type DocumentSignatureOptions,
  type PreparedDocumentSignature,
} from './documents/document-signature.ts';
export { buildSignedAttributes, type SignedAttributes, type SignedAttributesInput } from './cms/signed-attributes.ts';
export { assembleSignedData, type AssembleInput } from './cms/signed-data.ts';
export { signDetached, type DetachedSignInput } from './cms/sign-detached.ts';
export { verifyDetachedCms, type CmsResult, type CmsSuccess } from './cms/verify.ts';
export { digestByteRange, preparePdf, SIGNATURE_ROOM, type PdfSubFilter, type PreparedPdf, type PreparePdfOptions } from './pdf/prepare.ts';
export { embedPdfSignature } from './pdf/embed.ts';
export { verifyPdf, type PdfResult, type PdfSignature } from './pdf/verify.ts';
// The holder's data written in a signing certificate, unchecked (what `jpki-bridge sign` prints).
export { holderOf } from './verifier/certificate-holder.ts';
