/**
 * Facts about the My Number card's applications besides the JPKI applet (card.ts holds that
 * one). Source: the public jpki/myna client (its card-ID and text-AP code), which works against
 * real cards. Everything here is read by the card layer and emulated by the virtual card.
 */

/**
 * The card-ID application (jpki/myna calls it "unknown AP"). Record 1 of SFI 1 is a BER TLV
 * whose value is ASCII text; characters [2, 15) of it are the card's manufacture number.
 */
export const CARD_ID_AID = Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00]);

export const CARD_ID_RECORD = { sfi: 1, record: 1 } as const;

/** Where the manufacture number sits in the record's value: characters [start, end). */
export const MANUFACTURE_NUMBER_SPAN = { start: 2, end: 15 } as const;

/** The text application (券面事項入力補助AP): the card face's text, behind its own 4-digit PIN. */
export const TEXT_AID = Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]);

/**
 * Elementary files of the text application, as 2-byte FIDs in hex. Deliberately no entry for
 * EF 0001 (the My Number itself): the host has no name for it, so nothing can select it.
 */
export const TEXT_EF = {
  /** 券面事項入力補助用暗証番号: 4 digits, 3 tries, its own counter. */
  pin: '0011',
  /** BER TLV: a header element, then name, address, birth date (YYYYMMDD), sex (1/2/9), UTF-8. */
  attributes: '0002',
} as const;

/** The text PIN's consecutive misses before the card locks it. */
export const TEXT_PIN_MAX_TRIES = 3;
