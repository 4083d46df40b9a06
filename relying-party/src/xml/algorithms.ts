/**
 * The XMLDSig algorithms this project signs and accepts, by URI. Verification accepts RSA
 * PKCS#1 v1.5 with SHA-256, -384 or -512 only, and only with the reference digested by the same
 * hash: no SHA-1 (collisions are practical), no PSS (the card cannot make it), no mixed pairs
 * that would let the weaker hash carry the document.
 */

export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const RSA_SHA384 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384';
export const RSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const SHA384 = 'http://www.w3.org/2001/04/xmldsig-more#sha384';
export const SHA512 = 'http://www.w3.org/2001/04/xmlenc#sha512';

/** SignatureMethod → the Node hash name and the one DigestMethod allowed beside it. */
export const SIGNATURE_METHODS: Readonly<Record<string, { hash: 'sha256' | 'sha384' | 'sha512'; digestMethod: string }>> = {
  [RSA_SHA256]: { hash: 'sha256', digestMethod: SHA256 },
  [RSA_SHA384]: { hash: 'sha384', digestMethod: SHA384 },
  [RSA_SHA512]: { hash: 'sha512', digestMethod: SHA512 },
};

/**
 * Canonicalizations without comments: a comment is not signed content, so none may change what
 * the signature covers. (The WithComments variants are refused.)
 */
export const CANONICALIZATIONS: readonly string[] = [EXC_C14N, C14N];
