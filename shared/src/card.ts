/** Facts about the JPKI applet (公的個人認証AP) on the My Number card (docs/ARCHITECTURE.md §8). */

/** AID of the JPKI applet. Detect the card by SELECTing this, never by ATR. */
export const JPKI_AID = Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]);

/** Elementary files of the JPKI applet, as 2-byte FIDs in hex. */
export const EF = {
  signCertificate: '0001',
  signCaCertificate: '0002',
  tokenInfo: '0006',
  certificateAvailability: '0008',
  authCertificate: '000A',
  authCaCertificate: '000B',
  authKey: '0017',
  authPin: '0018',
  signKey: '001A',
  signPin: '001B',
} as const;

/** EF 0006 of a My Number card starts with this label (padded with spaces to 32 bytes). */
export const TOKEN_INFO_LABEL = 'JPKIAPICCTOKEN2';

/**
 * The most COMPUTE DIGITAL SIGNATURE takes: the card pads its input with PKCS#1 v1.5 type 1 to the
 * RSA-2048 modulus (256 bytes), and the padding needs at least 11 of them.
 */
export const MAX_SIGN_INPUT = 256 - 11;

/** EF 0008: byte 0 is the signing certificate, byte 1 the authentication one; 8F = present. */
export const CERTIFICATE_PRESENT = 0x8f;

export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  PIN_LOCKED: 0x6984,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  OFFSET_BEYOND_EF: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

/** `63 Cx`: x tries left. */
export function isRetryCounter(sw: number): boolean {
  return (sw & 0xfff0) === 0x63c0;
}
