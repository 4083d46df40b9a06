/**
 * A minimal DER reader: just enough to walk the three certificate extensions the verifier needs
 * (keyUsage, certificatePolicies, subjectAltName). Node's X509Certificate parses the certificate
 * and checks signatures natively but does not expose these; node-forge would, at ~1 ms per
 * certificate, which would dominate a token verification (see test/bench/verifier.bench.ts).
 */

export interface Tlv {
  /** The identifier octet (class, constructed bit, tag number ≤ 30). */
  tag: number;
  /** Offset of the identifier octet within `bytes`: `bytes.subarray(offset, end)` is the whole TLV. */
  offset: number;
  /** Offset of the content within `bytes`. */
  start: number;
  /** Offset just past the content. */
  end: number;
  bytes: Uint8Array;
}

export class DerError extends Error {}

/** Reads the TLV at `offset`. Only short tags; definite lengths up to 4 length octets. */
export function readTlv(bytes: Uint8Array, offset = 0): Tlv {
  if (offset + 2 > bytes.length) throw new DerError('truncated');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used here');
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported length');
    if (start + count > bytes.length) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new DerError('content runs past the end');
  return { tag, offset, start, end, bytes };
}

/** The TLVs directly inside a constructed TLV. */
export function children(tlv: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let offset = tlv.start;
  while (offset < tlv.end) {
    const child = readTlv(tlv.bytes, offset);
    if (child.end > tlv.end) throw new DerError('child runs past its parent');
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function content(tlv: Tlv): Uint8Array {
  return tlv.bytes.subarray(tlv.start, tlv.end);
}

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(tlv: Tlv): string {
  if (tlv.tag !== 0x06) throw new DerError('not an OID');
  const body = content(tlv);
  const arcs: number[] = [];
  let value = 0;
  for (const byte of body) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  return arcs.join('.');
}

const STRING_TAGS = new Set([0x0c /* UTF8 */, 0x13 /* Printable */, 0x16 /* IA5 */, 0x1e /* BMP */, 0x14 /* T61 */]);

/** Text of a string TLV (UTF8String, PrintableString, IA5String, BMPString), or null. */
export function decodeString(tlv: Tlv): string | null {
  if (!STRING_TAGS.has(tlv.tag)) return null;
  const body = content(tlv);
  if (tlv.tag === 0x1e) {
    let text = '';
    for (let i = 0; i + 1 < body.length; i += 2) text += String.fromCharCode((body[i]! << 8) | body[i + 1]!);
    return text;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(body);
}

/**
 * The extensions of a DER certificate, by OID: `{critical, value}` where value is the content of
 * the extnValue OCTET STRING. Certificate → tbsCertificate → [3] → SEQUENCE OF Extension.
 */
export function certificateExtensions(der: Uint8Array): Map<string, { critical: boolean; value: Tlv }> {
  const certificate = readTlv(der);
  const tbs = children(certificate)[0];
  if (!tbs) throw new DerError('no tbsCertificate');
  const out = new Map<string, { critical: boolean; value: Tlv }>();
  const explicit = children(tbs).find((field) => field.tag === 0xa3);
  if (!explicit) return out;
  const list = children(explicit)[0];
  if (!list) return out;
  for (const extension of children(list)) {
    const parts = children(extension);
    const oid = decodeOid(parts[0]!);
    const critical = parts.length === 3 && parts[1]!.tag === 0x01 && parts[1]!.bytes[parts[1]!.start] !== 0;
    const octets = parts[parts.length - 1]!;
    if (octets.tag !== 0x04) throw new DerError('extnValue is not an OCTET STRING');
    out.set(oid, { critical, value: readTlv(content(octets)) });
  }
  return out;
}

/** The whole encoding of a TLV (identifier, length and content). */
export function encoded(tlv: Tlv): Uint8Array {
  return tlv.bytes.subarray(tlv.offset, tlv.end);
}

/** UTCTime (YY < 50 → 20YY, RFC 5280) or GeneralizedTime, both in the `…Z` form DER requires. */
export function decodeTime(tlv: Tlv): Date {
  const text = new TextDecoder().decode(content(tlv));
  const match =
    tlv.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : tlv.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw new DerError('not a DER time');
  const year = tlv.tag === 0x17 ? (Number(match[1]) < 50 ? 2000 : 1900) + Number(match[1]) : Number(match[1]);
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])));
}

/** An INTEGER's magnitude as uppercase hex without leading zeros (how serials are compared). */
export function integerHex(tlv: Tlv): string {
  if (tlv.tag !== 0x02) throw new DerError('not an INTEGER');
  return normalizeSerial(Buffer.from(content(tlv)).toString('hex'));
}

export function normalizeSerial(hex: string): string {
  return hex.toUpperCase().replace(/^0+(?=.)/, '');
}
