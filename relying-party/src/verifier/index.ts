/** The server-side verifier: `import { JpkiVerifier, loadTrustAnchors } from '@jpki-bridge/relying-party/verifier'`. */
export * from './errors.ts';
export * from './certificate.ts';
export * from './trust-anchors.ts';
export * from './policy.ts';
export * from './holder.ts';
export * from './nonce-store.ts';
export * from './redis-nonce-store.ts';
export * from './revocation.ts';
export * from './crl.ts';
export * from './result.ts';
export * from './verifier.ts';
export { ChainValidator, type ChainedCertificate } from './chain.ts';
