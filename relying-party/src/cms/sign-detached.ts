/**
 * One call for a signer that holds the card in-process (the CLI): the content's digest, the
 * certificates, and an async callback that has the card sign a SHA-256 hash. A page cannot use
 * this in one piece — its server builds the attributes, the page signs, the server assembles
 * (cms/index.ts, docs/document-signing.md).
 */
import { assembleSignedData } from './signed-data.ts';
import { buildSignedAttributes } from './signed-attributes.ts';

export interface DetachedSignInput {
  contentDigest: Uint8Array;
  /** DER, the signer's certificate first. */
  certificates: readonly Uint8Array[];
  /** Signs DigestInfo(SHA-256, hash) with the card; resolves with the raw RSA signature. */
  sign(hash: Uint8Array): Promise<Uint8Array>;
  signingTime?: Date;
}

export async function signDetached(input: DetachedSignInput): Promise<Uint8Array> {
  const signedAttributes = buildSignedAttributes({ contentDigest: input.contentDigest, certificate: input.certificates[0], signingTime: input.signingTime });
  const signature = await input.sign(signedAttributes.hash);
  return assembleSignedData({ signedAttributes, signature, certificates: input.certificates });
}
