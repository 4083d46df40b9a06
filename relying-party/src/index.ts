/**
 * The relying-party package for Node servers: the verifier and the XML signature helper.
 * The browser page library is a separate entry (`@jpki-bridge/relying-party/page`).
 */
export * from './verifier/index.ts';
export * from './xml/index.ts';
