/**
 * The validity period of an X.509 certificate from its DER, with a minimal TLV reader — enough
 * for the popup's "valid until" and "renewal open" (no ASN.1 library in the extension).
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serialNumber, signature,
 * issuer, validity SEQUENCE { notBefore, notAfter }, ... }, ... }
 */

export interface Tlv {
  tag: number;
  start: number; // first content byte
  end: number; // one past the last content byte
}

export function readTlv(der: Uint8Array, offset: number): Tlv {
  const tag = der[offset];
  const lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new RangeError('truncated DER');
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = der[start + i];
      if (b === undefined) throw new RangeError('truncated DER');
      length = length * 256 + b;
    }
    start += count;
  }
  const end = start + length;
  if (end > der.length) throw new RangeError('truncated DER');
  return { tag, start, end };
}

/** UTCTime (YYMMDDHHMMSSZ, 50–99 → 19xx) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
function readTime(der: Uint8Array, tlv: Tlv): Date {
  const text = String.fromCharCode(...der.subarray(tlv.start, tlv.end));
  const m =
    tlv.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : tlv.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!m) throw new RangeError('unsupported time');
  let year = Number(m[1]);
  if (tlv.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

export function certificateValidity(der: Uint8Array): { notBefore: Date; notAfter: Date } {
  const certificate = readTlv(der, 0);
  const tbs = readTlv(der, certificate.start);
  let cursor = tbs.start;
  let field = readTlv(der, cursor);
  if (field.tag === 0xa0) {
    cursor = field.end; // explicit [0] version
    field = readTlv(der, cursor);
  }
  // serialNumber, signature, issuer, then validity
  for (let i = 0; i < 3; i++) {
    cursor = field.end;
    field = readTlv(der, cursor);
  }
  if (field.tag !== 0x30) throw new RangeError('no validity');
  const notBefore = readTlv(der, field.start);
  const notAfter = readTlv(der, notBefore.end);
  return { notBefore: readTime(der, notBefore), notAfter: readTime(der, notAfter) };
}

/** Renewal at the municipal office is possible from 3 months before the end of validity (docs/card-facts.md). */
export function renewalOpens(notAfter: Date): Date {
  const opens = new Date(notAfter.getTime());
  opens.setUTCMonth(opens.getUTCMonth() - 3);
  return opens;
}

export function renewalState(notAfter: Date, now: Date): 'expired' | 'open' | 'not-yet' {
  if (now.getTime() > notAfter.getTime()) return 'expired';
  return now.getTime() >= renewalOpens(notAfter).getTime() ? 'open' : 'not-yet';
}
