/**
 * The ATRs the virtual card can answer with. `neutral` is the default: a driver must find the card
 * by SELECTing the JPKI AID, never by its ATR. The others are real My Number card ATRs as
 * pcsc-tools' smartcard_list.txt lists them, so the host is proven to work with what a real reader
 * reports (a contact reader, and a contactless one whose ATR the reader builds from the card's
 * ATQB per PC/SC part 3).
 */

export const ATR_CHOICES = ['neutral', 'contact', 'contactless'] as const;
export type AtrChoice = (typeof ATR_CHOICES)[number];

export const ATRS: Record<AtrChoice, Uint8Array> = {
  /** T=1, historical bytes "JPKIVCRD"; deliberately no real card's ATR. */
  neutral: withTck([0x3b, 0x88, 0x80, 0x01, ...Buffer.from('JPKIVCRD', 'ascii')]),
  /** smartcard_list.txt: "Japanese Public Key Infrastructure (PKI) / My Number Card" (T=1, contact). */
  contact: hex('3B F5 91 00 FF 91 81 71 FE 40 00 42 00 01 00 D1 D6'),
  /** smartcard_list.txt: "Japanese JPKI card (aka JINC card)" (Type B through a PC/SC contactless reader). */
  contactless: hex('3B 88 80 01 00 00 05 E0 B3 81 A1 00 7F'),
};

export function isAtrChoice(value: unknown): value is AtrChoice {
  return typeof value === 'string' && (ATR_CHOICES as readonly string[]).includes(value);
}

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));
}

/** TCK: XOR of every ATR byte after TS; required when T=1 is indicated. */
function withTck(bytes: number[]): Uint8Array {
  const tck = bytes.slice(1).reduce((x, b) => x ^ b, 0);
  return Uint8Array.from([...bytes, tck]);
}
