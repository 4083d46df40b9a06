/**
 * Command APDUs for the tests that talk to a card byte by byte, written out as hex on purpose:
 * a test that builds its commands with the product's own APDU code (native-host/src/card/apdu.ts)
 * would share that code's mistakes.
 */

/** SELECT by DF name (AID D3 92 F0 00 26 01 00 00 00 01), no response data. */
export const SELECT_JPKI = '00a4040c0ad392f000260100000001';

/** SELECT the card-ID application (AID D3 92 10 00 31 00 01 01 01 00), no response data. */
export const SELECT_CARD_ID = '00a4040c0ad3921000310001010100';

/** SELECT the text application (AID D3 92 10 00 31 00 01 01 04 08), no response data. */
export const SELECT_TEXT = '00a4040c0ad3921000310001010408';

/** READ RECORD 1 of short EF 1 (P2 0C), Le 00: the card-ID application's whole record. */
export const READ_RECORD_1 = '00b2010c00';

/** SELECT an EF of the selected application by its 2-byte file id (4 hex digits). */
export const selectEf = (fid: string) => `00a4020c02${fid}`;

/** `header` (4 bytes as hex), then Lc and `text` in ASCII. */
const withAscii = (header: string, text: string) => `${header}${text.length.toString(16).padStart(2, '0')}${Buffer.from(text, 'ascii').toString('hex')}`;

/** VERIFY the selected PIN EF with `pin` in ASCII. */
export const verifyApdu = (pin: string) => withAscii('00200080', pin);

/** CHANGE REFERENCE DATA (P1 01: the new PIN only) of the selected PIN EF, `pin` in ASCII. */
export const changeApdu = (pin: string) => withAscii('00240180', pin);
