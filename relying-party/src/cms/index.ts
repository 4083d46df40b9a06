/**
 * Detached CMS (CAdES-BES) signatures made with the card (docs/document-signing.md):
 *   server: attrs = buildSignedAttributes({contentDigest, certificate?}) → page: jpki.sign([attrs.hash])
 *   server: assembleSignedData({signedAttributes: attrs, signature, certificates: [certificate]}) → .p7s
 *   verify: verifyDetachedCms(verifier, p7s, {bytes}) → the holder, or a failure code
 */
export { buildSignedAttributes, type SignedAttributes, type SignedAttributesInput } from './signed-attributes.ts';
export { assembleSignedData, type AssembleInput } from './signed-data.ts';
export { signDetached, type DetachedSignInput } from './sign-detached.ts';
export { verifyDetachedCms, type CmsResult, type CmsSuccess } from './verify.ts';
