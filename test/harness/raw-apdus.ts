/**
 * Command APDUs for the tests that talk to a card byte by byte, written out as hex on purpose:
 * a test that builds its commands with the product's own APDU code (native-host/src/card/apdu.ts)
 * would share that code's mistakes.
 */

/** SELECT by DF name (AID D3 92 F0 00 26 01 00 00 00 01), no response data. */
export const SELECT_JPKI = '00a4040c0ad392f000260100000001';

/** SELECT an EF of the selected application by its 2-byte file id (4 hex digits). */
export const selectEf = (fid: string) => `00a4020c02${fid}`;

/** VERIFY the selected PIN EF with `pin` in ASCII. */
export const verifyApdu = (pin: string) => `00200080${pin.length.toString(16).padStart(2, '0')}${Buffer.from(pin, 'ascii').toString('hex')}`;
