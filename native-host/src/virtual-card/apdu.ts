/** Short command APDUs (ISO 7816-4 §5.1): the card's applications speak nothing else. */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (empty for cases 1 and 2). */
  data: Uint8Array;
  /** Expected response length, 1..256 (a 00 byte means 256), or null when absent. */
  le: number | null;
}

/** Status words this card answers beyond shared/card.ts's SW (ISO 7816-4 meanings). */
export const SW_EXTRA = {
  COMMAND_NOT_ALLOWED: 0x6986,
  WRONG_DATA: 0x6a80,
  RECORD_NOT_FOUND: 0x6a83,
  /** `6C xx`: wrong Le, xx is the length to ask for. */
  WRONG_LE: 0x6c00,
} as const;

/** Parses a short APDU, or returns null when its length bytes are inconsistent (→ 67 00). */
export function parseApdu(bytes: Uint8Array): CommandApdu | null {
  if (bytes.length < 4) return null;
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const empty = new Uint8Array(0);
  if (bytes.length === 4) return { cla, ins, p1, p2, data: empty, le: null };
  if (bytes.length === 5) return { cla, ins, p1, p2, data: empty, le: bytes[4] || 256 };
  const lc = bytes[4]!;
  // Lc 00 with more bytes would be an extended APDU: not supported by the JPKI applet.
  if (lc === 0) return null;
  const data = bytes.slice(5, 5 + lc);
  if (bytes.length === 5 + lc) return { cla, ins, p1, p2, data, le: null };
  if (bytes.length === 6 + lc) return { cla, ins, p1, p2, data, le: bytes[5 + lc] || 256 };
  return null;
}

export function respond(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
