/**
 * Reading BER TLVs from the card's data files (the card-ID record, the text application's EF 0002):
 * tags of any length, definite lengths up to 3 bytes. Malformed data is a card error, never a throw
 * from deep inside a parser.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';

export interface Tlv {
  /** The tag bytes as one number (FF 20 → 0xff20). */
  tag: number;
  value: Uint8Array;
  /** Offset just after this TLV in the bytes it was read from. */
  end: number;
}

/** The header at `at`: its tag, its own length and the value's, or null when `bytes` ends inside it. */
export function readTlvHeader(bytes: Uint8Array, at = 0): { tag: number; headerLength: number; valueLength: number } | null {
  let i = at;
  if (i >= bytes.length) return null;
  let tag = bytes[i++]!;
  if ((tag & 0x1f) === 0x1f) {
    // High tag number form: subsequent bytes while bit 8 is set (three at most: no card tag is longer).
    for (let more = true; more; ) {
      if (i >= bytes.length) return null;
      if (i - at >= 4) throw malformed('a tag longer than 4 bytes');
      const byte = bytes[i++]!;
      tag = tag * 256 + byte;
      more = (byte & 0x80) !== 0;
    }
  }
  if (i >= bytes.length) return null;
  const first = bytes[i++]!;
  let valueLength = first;
  if (first === 0x80) throw malformed('an indefinite length');
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 3) throw malformed(`a ${count}-byte length`);
    if (i + count > bytes.length) return null;
    valueLength = 0;
    for (let k = 0; k < count; k++) valueLength = valueLength * 256 + bytes[i++]!;
  }
  return { tag, headerLength: i - at, valueLength };
}

/** The whole TLV at `at`; the bytes must hold all of it. */
export function readTlv(bytes: Uint8Array, at = 0): Tlv {
  const header = readTlvHeader(bytes, at);
  const start = at + (header?.headerLength ?? 0);
  if (!header || start + header.valueLength > bytes.length) throw malformed('a TLV cut short');
  const end = start + header.valueLength;
  return { tag: header.tag, value: bytes.subarray(start, end), end };
}

/** Every TLV in `bytes`, in order (a constructed value's elements). */
export function readTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < bytes.length; ) {
    const tlv = readTlv(bytes, at);
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

function malformed(what: string): JpkiError {
  return new JpkiError('ERR_JPKI_CARD_ERROR', `the card's data holds ${what}`);
}
