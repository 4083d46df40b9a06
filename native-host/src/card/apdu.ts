/** Short APDUs of the JPKI applet (docs/ARCHITECTURE.md § 8), built as bytes, and the split of a response into data + status word. */
import { JPKI_AID } from '@jpki-bridge/shared/card';

export interface Response {
  data: Uint8Array;
  sw: number;
}

export function splitResponse(raw: Uint8Array): Response {
  if (raw.length < 2) return { data: new Uint8Array(0), sw: 0 };
  return { data: raw.subarray(0, raw.length - 2), sw: (raw[raw.length - 2]! << 8) | raw[raw.length - 1]! };
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function apdu(header: number[], data?: Uint8Array, le?: number): Uint8Array {
  const body = data ?? new Uint8Array(0);
  if (body.length > 255) throw new RangeError('short APDUs only');
  const out = new Uint8Array(4 + (body.length > 0 ? 1 + body.length : 0) + (le !== undefined ? 1 : 0));
  out.set(header, 0);
  let at = 4;
  if (body.length > 0) {
    out[at++] = body.length;
    out.set(body, at);
    at += body.length;
  }
  if (le !== undefined) out[at] = le & 0xff; // 256 → 00
  return out;
}

export const Apdu = {
  /** SELECT by DF name, no response data (P2 0C). */
  selectAp: () => apdu([0x00, 0xa4, 0x04, 0x0c], JPKI_AID),
  /** The same for another application of the card (card-ID, text). */
  selectDf: (aid: Uint8Array) => apdu([0x00, 0xa4, 0x04, 0x0c], aid),
  /** SELECT EF by FID under the current DF, no response data. */
  selectEf: (fid: string) => apdu([0x00, 0xa4, 0x02, 0x0c], hexToBytes(fid)),
  /** READ BINARY at a 15-bit offset; le 1–256 (256 is sent as 00). */
  readBinary: (offset: number, le: number) => apdu([0x00, 0xb0, (offset >> 8) & 0x7f, offset & 0xff], undefined, le),
  /** VERIFY with no data: the card answers 63 Cx (tries left) without spending one. */
  retryCounter: () => apdu([0x00, 0x20, 0x00, 0x80]),
  verify: (pin: Uint8Array) => apdu([0x00, 0x20, 0x00, 0x80], pin),
  /** CHANGE REFERENCE DATA with the new PIN only (P1 01): the old one was just verified. */
  changePin: (newPin: Uint8Array) => apdu([0x00, 0x24, 0x01, 0x80], newPin),
  /** COMPUTE DIGITAL SIGNATURE (JPKI's proprietary 80 2A 00 80), the card pads the DigestInfo. */
  sign: (digestInfo: Uint8Array) => apdu([0x80, 0x2a, 0x00, 0x80], digestInfo, 256),
  getResponse: (le: number) => apdu([0x00, 0xc0, 0x00, 0x00], undefined, le),
  /** READ RECORD `record` of short EF `sfi` (P2 = SFI << 3 | 4), Le 00: the whole record. */
  readRecord: (record: number, sfi: number) => apdu([0x00, 0xb2, record, (sfi << 3) | 0x04], undefined, 256),
};
