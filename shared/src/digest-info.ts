/**
 * DER DigestInfo (PKCS#1 v1.5, RFC 8017 §9.2) for the four hash functions `jpki:sign` accepts.
 * The card pads what it gets, so a DigestInfo is exactly what goes into COMPUTE DIGITAL SIGNATURE.
 */

export const HASH_FUNCTIONS = ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-1'] as const;
export type HashFunction = (typeof HASH_FUNCTIONS)[number];

/** Hash length in bytes and the DER prefix that precedes the hash. */
export const HASH_INFO: Record<HashFunction, { length: number; prefix: Uint8Array; nodeName: string }> = {
  'SHA-1': {
    length: 20,
    nodeName: 'sha1',
    prefix: hex('3021300906052b0e03021a05000414'),
  },
  'SHA-256': {
    length: 32,
    nodeName: 'sha256',
    prefix: hex('3031300d060960864801650304020105000420'),
  },
  'SHA-384': {
    length: 48,
    nodeName: 'sha384',
    prefix: hex('3041300d060960864801650304020205000430'),
  },
  'SHA-512': {
    length: 64,
    nodeName: 'sha512',
    prefix: hex('3051300d060960864801650304020305000440'),
  },
};

export function buildDigestInfo(hashFunction: HashFunction, hash: Uint8Array): Uint8Array {
  const { length, prefix } = HASH_INFO[hashFunction];
  if (hash.length !== length) throw new RangeError(`${hashFunction} hash must be ${length} bytes, got ${hash.length}`);
  const out = new Uint8Array(prefix.length + length);
  out.set(prefix, 0);
  out.set(hash, prefix.length);
  return out;
}

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g)!.map((pair) => parseInt(pair, 16)));
}
