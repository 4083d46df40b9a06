/**
 * The CAdES-BES signed attributes (ETSI EN 319 122-1 §5.2): contentType, messageDigest,
 * signingTime and, when the signer's certificate is known before signing, signingCertificateV2
 * (RFC 5035). What the card signs is SHA-256 of their DER as a SET OF (RFC 5652 §5.4) — the
 * `hash` returned here, handed to `jpki:sign` (page) or the card (CLI) as it is.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { Attribute, Certificate } from 'pkijs';
import { OID } from './oids.ts';

export interface SignedAttributesInput {
  /** SHA-256 of the signed content (the file, or a PDF's ByteRange). */
  contentDigest: Uint8Array;
  /** The signer's certificate (DER): adds signingCertificateV2. A page that has not read it yet leaves it out. */
  certificate?: Uint8Array;
  signingTime?: Date;
}

export interface SignedAttributes {
  /** The attributes, DER-ordered, as pkijs objects (for the SignerInfo). */
  attributes: Attribute[];
  /** The DER of the SET OF attributes: the bytes whose hash is signed. */
  der: Uint8Array;
  /** SHA-256 of `der`: what the card signs. */
  hash: Uint8Array;
}

export function buildSignedAttributes(input: SignedAttributesInput): SignedAttributes {
  if (input.contentDigest.length !== 32) throw new RangeError(`the content digest must be SHA-256 (32 bytes), got ${input.contentDigest.length}`);
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: input.contentDigest })),
    attribute(OID.signingTime, signingTime(input.signingTime ?? new Date())),
  ];
  if (input.certificate) attributes.push(attribute(OID.signingCertificateV2, signingCertificateV2(input.certificate)));
  // DER sorts the members of a SET OF by their encodings (X.690 §11.6); OpenSSL re-encodes before checking.
  const encoded = attributes.map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) })).sort((x, y) => compareBytes(x.der, y.der));
  const der = new Uint8Array(new asn1js.Set({ value: encoded.map(({ a }) => a.toSchema()) }).toBER());
  return { attributes: encoded.map(({ a }) => a), der, hash: sha256(der) };
}

/** ESSCertIDv2 with the default hash (SHA-256, so no AlgorithmIdentifier) and the issuer/serial. */
export function signingCertificateV2(certificateDer: Uint8Array): asn1js.Sequence {
  const certificate = Certificate.fromBER(new Uint8Array(certificateDer));
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })] }),
      certificate.serialNumber,
    ],
  });
  const essCertId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: sha256(certificateDer) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

function attribute(type: string, value: asn1js.BaseBlock): Attribute {
  return new Attribute({ type, values: [value] });
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5652 §11.3). */
function signingTime(at: Date): asn1js.BaseBlock {
  const when = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return when.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: when }) : new asn1js.GeneralizedTime({ valueDate: when });
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
