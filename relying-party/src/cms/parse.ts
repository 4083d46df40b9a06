/**
 * Reads a detached CMS SignedData into the few facts the verifier checks, refusing every shape
 * this project does not make: one signer, SHA-256, RSA, signed attributes, no embedded content.
 */
import * as asn1js from 'asn1js';
import { Certificate, ContentInfo, IssuerAndSerialNumber, SignedData, type SignerInfo } from 'pkijs';
import { VerificationError } from '../verifier/errors.ts';
import { OID } from './oids.ts';

export interface ParsedCms {
  /** The DER of the signed attributes as a SET OF: their SHA-256 is what the key signed. */
  signedAttributesDer: Uint8Array;
  messageDigest: Uint8Array;
  signingTime: Date | undefined;
  /** certHash of signingCertificateV2, when present. */
  signingCertificateHash: Uint8Array | undefined;
  signature: Uint8Array;
  /** The signer's certificate (DER), found by the SignerInfo's identifier among the carried certificates. */
  signerCertificate: Uint8Array;
}

export function parseDetachedCms(der: Uint8Array): ParsedCms {
  const signedData = readSignedData(der);
  if (signedData.encapContentInfo.eContentType !== OID.data) malformed('the signed content is not id-data');
  if (signedData.encapContentInfo.eContent) malformed('the content is inside the signature: a detached signature was expected');
  if (signedData.signerInfos.length !== 1) malformed(`${signedData.signerInfos.length} signers: exactly one was expected`);
  const signer = signedData.signerInfos[0]!;
  if (signer.digestAlgorithm.algorithmId !== OID.sha256) malformed(`digest algorithm ${signer.digestAlgorithm.algorithmId}: only SHA-256 is accepted`);
  const algorithm = signer.signatureAlgorithm.algorithmId;
  if (algorithm !== OID.rsaEncryption && algorithm !== OID.sha256WithRSAEncryption) malformed(`signature algorithm ${algorithm}: RSA PKCS#1 v1.5 was expected`);
  if (!signer.signedAttrs) malformed('no signed attributes');
  const attributes = new Map<string, asn1js.BaseBlock>();
  for (const attribute of signer.signedAttrs.attributes) {
    if (attributes.has(attribute.type)) malformed(`the signed attribute ${attribute.type} appears twice`);
    if (attribute.values.length !== 1) malformed(`the signed attribute ${attribute.type} has ${attribute.values.length} values`);
    attributes.set(attribute.type, attribute.values[0]);
  }
  const contentType = attributes.get(OID.contentType);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.getValue() !== OID.data)
    malformed('the contentType attribute is missing or not id-data');
  const messageDigest = attributes.get(OID.messageDigest);
  if (!(messageDigest instanceof asn1js.OctetString)) malformed('the messageDigest attribute is missing');
  const time = attributes.get(OID.signingTime);
  // The SET OF as signed: [0] IMPLICIT in the SignerInfo, tag 0x31 when hashed (RFC 5652 §5.4).
  const signedAttributesDer = new Uint8Array(signer.signedAttrs.encodedValue);
  signedAttributesDer[0] = 0x31;
  return {
    signedAttributesDer,
    messageDigest: new Uint8Array(messageDigest.valueBlock.valueHexView),
    signingTime: time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined,
    signingCertificateHash: readSigningCertificateHash(attributes.get(OID.signingCertificateV2)),
    signature: new Uint8Array(signer.signature.valueBlock.valueHexView),
    signerCertificate: findSignerCertificate(signedData, signer),
  };
}

function readSignedData(der: Uint8Array): SignedData {
  try {
    const contentInfo = ContentInfo.fromBER(new Uint8Array(der));
    if (contentInfo.contentType !== OID.signedData) malformed('not a CMS SignedData');
    return new SignedData({ schema: contentInfo.content });
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    return malformed(`not a CMS SignedData (${(error as Error).message})`);
  }
}

/** The SignerInfo's identifier must name one carried certificate: issuer and serial, or the subject key identifier. */
function findSignerCertificate(signedData: SignedData, signer: SignerInfo): Uint8Array {
  const certificates = (signedData.certificates ?? []).filter((c): c is Certificate => c instanceof Certificate);
  const match = certificates.filter((certificate) => {
    if (signer.sid instanceof IssuerAndSerialNumber) {
      return certificate.issuer.isEqual(signer.sid.issuer) && certificate.serialNumber.isEqual(signer.sid.serialNumber);
    }
    const ski = certificate.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue;
    return (
      signer.sid instanceof asn1js.Primitive &&
      ski instanceof asn1js.OctetString &&
      ski.isEqual(new asn1js.OctetString({ valueHex: signer.sid.valueBlock.valueHexView }))
    );
  });
  if (match.length !== 1)
    malformed(match.length === 0 ? 'no carried certificate matches the signer identifier' : 'several certificates match the signer identifier');
  return new Uint8Array(match[0]!.toSchema().toBER());
}

function readSigningCertificateHash(value: asn1js.BaseBlock | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  const parts = first instanceof asn1js.Sequence ? first.valueBlock.value : [];
  // hashAlgorithm DEFAULT sha256 is omitted in DER; any other hash algorithm is refused.
  if (!(parts[0] instanceof asn1js.OctetString)) malformed('the signingCertificateV2 attribute is not an ESSCertIDv2 with SHA-256');
  return new Uint8Array(parts[0].valueBlock.valueHexView);
}

function malformed(message: string): never {
  throw new VerificationError('DOCUMENT_MALFORMED', message);
}
