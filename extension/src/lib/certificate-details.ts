/**
 * What the popup's certificate viewer shows of an X.509 certificate: subject, issuer, serial
 * number, validity and SHA-256 fingerprint, and of a signing certificate its holder — read with
 * certificate-validity.ts's TLV reader (no ASN.1 library in the extension). Names are shown as
 * `C=JP, O=JPKI, …` with the usual short names; an attribute without one shows its OID.
 */
import { JPKI_SAN_OID, decodeBirthDate } from '@jpki-bridge/shared/jpki-certificate';
import { type Tlv, certificateValidity, readTlv } from './certificate-validity.ts';

export interface CertificateDetails {
  subject: string;
  issuer: string;
  /** Hex, colon-separated, as certificate viewers show it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

export function certificateDetails(der: Uint8Array): CertificateDetails {
  const certificate = readTlv(der, 0);
  const tbs = readTlv(der, certificate.start);
  let field = readTlv(der, tbs.start);
  if (field.tag === 0xa0) field = readTlv(der, field.end); // explicit [0] version
  const serial = field;
  const signature = readTlv(der, serial.end);
  const issuer = readTlv(der, signature.end);
  const validity = readTlv(der, issuer.end);
  const subject = readTlv(der, validity.end);
  return {
    subject: readName(der, subject),
    issuer: readName(der, issuer),
    serialNumber: hex(der.subarray(serial.start, serial.end), ':'),
    ...certificateValidity(der),
  };
}

/**
 * The signing certificate's holder (基本4情報), from its subjectAltName otherNames
 * (shared/src/jpki-certificate.ts has the OIDs; relying-party/src/verifier/holder.ts the facts).
 * `sex` is the certificate's code (1 male, 2 female, 9 not applicable; anything else unknown);
 * `dateOfBirth` ISO `YYYY-MM-DD`. A field the certificate lacks is null.
 */
export interface CertificateHolder {
  name: string | null;
  address: string | null;
  dateOfBirth: string | null;
  sex: string | null;
  /** A character of the name or address had no code point and was substituted (the flags' `1`). */
  hasSubstituteCharacters: boolean;
}

const SUBJECT_ALT_NAME = '2.5.29.17';

export function certificateHolder(der: Uint8Array): CertificateHolder {
  const values = new Map(otherNames(der));
  const birth = values.get(JPKI_SAN_OID.dateOfBirth);
  return {
    name: values.get(JPKI_SAN_OID.name) ?? null,
    address: values.get(JPKI_SAN_OID.address) ?? null,
    dateOfBirth: birth === undefined ? null : decodeBirthDate(birth),
    sex: values.get(JPKI_SAN_OID.sex) ?? null,
    hasSubstituteCharacters: [JPKI_SAN_OID.nameSubstitutes, JPKI_SAN_OID.addressSubstitutes].some((oid) => values.get(oid)?.includes('1') === true),
  };
}

/** [type-id, value] of each otherName of subjectAltName: [0] { OID, [0] EXPLICIT string }. */
function otherNames(der: Uint8Array): [string, string][] {
  const certificate = readTlv(der, 0);
  const tbs = readTlv(der, certificate.start);
  let extensions: Tlv | null = null;
  for (let at = tbs.start; at < tbs.end; ) {
    const field = readTlv(der, at);
    if (field.tag === 0xa3) extensions = readTlv(der, field.start);
    at = field.end;
  }
  if (!extensions) return [];
  for (let at = extensions.start; at < extensions.end; ) {
    const extension = readTlv(der, at);
    const id = readTlv(der, extension.start);
    let value = readTlv(der, id.end);
    if (value.tag === 0x01) value = readTlv(der, value.end); // critical BOOLEAN
    if (decodeOid(der.subarray(id.start, id.end)) === SUBJECT_ALT_NAME) return readOtherNames(der, readTlv(der, value.start));
    at = extension.end;
  }
  return [];
}

function readOtherNames(der: Uint8Array, names: Tlv): [string, string][] {
  const out: [string, string][] = [];
  for (let at = names.start; at < names.end; ) {
    const name = readTlv(der, at);
    if (name.tag === 0xa0) {
      const typeId = readTlv(der, name.start);
      const explicit = readTlv(der, typeId.end);
      const value = readTlv(der, explicit.start);
      out.push([decodeOid(der.subarray(typeId.start, typeId.end)), decodeString(der.subarray(value.start, value.end), value.tag)]);
    }
    at = name.end;
  }
  return out;
}

/** SHA-256 over the whole DER, hex with colons (as browsers' certificate viewers print it). */
export async function fingerprintSha256(der: Uint8Array): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', der.slice())), ':').toUpperCase();
}

/** Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value string } */
function readName(der: Uint8Array, name: Tlv): string {
  const parts: string[] = [];
  for (let set = name.start; set < name.end; ) {
    const rdn = readTlv(der, set);
    for (let at = rdn.start; at < rdn.end; ) {
      const pair = readTlv(der, at);
      const oid = readTlv(der, pair.start);
      const value = readTlv(der, oid.end);
      const type = decodeOid(der.subarray(oid.start, oid.end));
      parts.push(`${ATTRIBUTE_NAMES[type] ?? type}=${decodeString(der.subarray(value.start, value.end), value.tag)}`);
      at = pair.end;
    }
    set = rdn.end;
  }
  return parts.join(', ');
}

function decodeOid(bytes: Uint8Array): string {
  const first = bytes[0] ?? 0;
  const arcs = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** UTF8String and the ASCII string types; BMPString (0x1e) as UTF-16BE. */
function decodeString(bytes: Uint8Array, tag: number): string {
  if (tag === 0x1e) {
    let text = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return text;
  }
  return new TextDecoder().decode(bytes);
}

function hex(bytes: Uint8Array, separator: string): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(separator);
}
