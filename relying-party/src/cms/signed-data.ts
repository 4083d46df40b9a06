/**
 * Assembles the detached CMS SignedData (RFC 5652 §5) around one signature over the signed
 * attributes: no encapsulated content, the signer named by issuer and serial, the certificates
 * given (the signer's first). Nothing here signs: the card did, over `SignedAttributes.hash`.
 */
import * as asn1js from 'asn1js';
import {
  AlgorithmIdentifier,
  Certificate,
  ContentInfo,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedAndUnsignedAttributes,
  SignedData,
  SignerInfo,
} from 'pkijs';
import { OID } from './oids.ts';
import type { SignedAttributes } from './signed-attributes.ts';

export interface AssembleInput {
  signedAttributes: SignedAttributes;
  /** RSASSA-PKCS1-v1_5 over DigestInfo(SHA-256, signedAttributes.hash), as the card returns it. */
  signature: Uint8Array;
  /** DER: the signer's certificate first, then any others to carry (the chain). */
  certificates: readonly Uint8Array[];
}

/** The ContentInfo DER: what a `.p7s` file holds and what a PDF's /Contents carries. */
export function assembleSignedData(input: AssembleInput): Uint8Array {
  const [signerDer] = input.certificates;
  if (!signerDer) throw new TypeError('assembleSignedData: the signer certificate is required');
  const certificates = input.certificates.map((der) => Certificate.fromBER(new Uint8Array(der)));
  const signer = certificates[0]!;
  const sha256 = new AlgorithmIdentifier({ algorithmId: OID.sha256 });
  const signerInfo = new SignerInfo({
    version: 1,
    sid: new IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
    digestAlgorithm: sha256,
    signedAttrs: new SignedAndUnsignedAttributes({ type: 0, attributes: input.signedAttributes.attributes }),
    signatureAlgorithm: new AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: input.signature }),
  });
  const signedData = new SignedData({
    version: 1,
    digestAlgorithms: [sha256],
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates,
    signerInfos: [signerInfo],
  });
  const contentInfo = new ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
