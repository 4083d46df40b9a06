/**
 * The relying-party package for Node servers: the verifier and the XML signature helper.
 * The browser page library is a separate entry (`@jpki-bridge/relying-party/page`).
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
 */
export * from './verifier/index.ts';
export * from './xml/index.ts';
export * from './cms/index.ts';
export * from './pdf/index.ts';
export * from './documents/index.ts';
