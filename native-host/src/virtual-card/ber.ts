/** BER TLV encoding for the virtual card's data files: tag bytes as given, definite lengths. */

export function tlv(tag: readonly number[], ...values: Uint8Array[]): Uint8Array {
  const length = values.reduce((sum, v) => sum + v.length, 0);
  const out = new Uint8Array(tag.length + lengthBytes(length).length + length);
  out.set(tag, 0);
  const head = lengthBytes(length);
  out.set(head, tag.length);
  let at = tag.length + head.length;
  for (const value of values) {
    out.set(value, at);
    at += value.length;
  }
  return out;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Short form below 128, else 81 LL / 82 LL LL (a card file never needs more). */
function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  if (length <= 0xff) return [0x81, length];
  if (length <= 0xffff) return [0x82, length >> 8, length & 0xff];
  throw new RangeError('a card file this large does not exist');
}
