/**
 * The one choke point where PC/SC failures become wire error codes (docs/PROTOCOL.md § Error codes; cf. libpcsc-cpp's SCardCall.hpp).
 * `pcsclite` reports failures as `Error("SCardConnect error: Card was removed.(0x80100069)")`:
 * the hex code is parsed out; the text is only for the log. The phase matters: "no smart card"
 * at connect means none was inserted, during a transmit it means it was pulled out.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';

export type PcscPhase = 'establish' | 'list' | 'connect' | 'transmit' | 'disconnect';

export const SCARD = {
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_PROTO_MISMATCH: 0x8010000f,
  E_NOT_READY: 0x80100010,
  E_SYSTEM_CANCELLED: 0x80100012,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  E_COMM_DATA_LOST: 0x8010002f,
  W_UNSUPPORTED_CARD: 0x80100065,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** The PC/SC return code in a pcsclite error message, or null when there is none. */
export function pcscCode(error: unknown): number | null {
  const text = error instanceof Error ? error.message : String(error);
  const match = /\(0x([0-9a-f]{1,8})\)/i.exec(text);
  return match ? parseInt(match[1]!, 16) >>> 0 : null;
}

/** Codes meaning our context is dead (pcscd stopped or restarted): drop it and establish a new one. */
export function isContextLost(error: unknown): boolean {
  const code = pcscCode(error);
  return code === SCARD.E_NO_SERVICE || code === SCARD.E_SERVICE_STOPPED || code === SCARD.E_INVALID_HANDLE || code === SCARD.E_COMM_DATA_LOST;
}

/** Any failure of a PC/SC call → the wire error code for it. Typed errors pass through unchanged. */
export function mapPcscError(error: unknown, phase: PcscPhase): JpkiError {
  if (error instanceof JpkiError) return error;
  const code = pcscCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const midOperation = phase === 'transmit' || phase === 'disconnect';
  switch (code) {
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
    case SCARD.E_COMM_DATA_LOST:
      return new JpkiError('ERR_JPKI_PCSC_UNAVAILABLE', detail);
    case SCARD.E_INVALID_HANDLE:
      // A handle made invalid under us: pcscd restarted (context) or the card went (card handle).
      return new JpkiError(midOperation ? 'ERR_JPKI_CARD_REMOVED' : 'ERR_JPKI_PCSC_UNAVAILABLE', detail);
    case SCARD.E_NO_READERS_AVAILABLE:
      return new JpkiError('ERR_JPKI_NO_READER', detail);
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
      return new JpkiError(midOperation ? 'ERR_JPKI_CARD_REMOVED' : 'ERR_JPKI_NO_READER', detail);
    case SCARD.E_NO_SMARTCARD:
    case SCARD.W_REMOVED_CARD:
      return new JpkiError(midOperation ? 'ERR_JPKI_CARD_REMOVED' : 'ERR_JPKI_NO_CARD', detail);
    case SCARD.W_RESET_CARD:
      // Someone reset the card under us: any VERIFY is gone, the operation cannot go on.
      return new JpkiError('ERR_JPKI_CARD_REMOVED', detail);
    case SCARD.E_SHARING_VIOLATION:
      return new JpkiError('ERR_JPKI_CARD_BUSY', detail);
    case SCARD.W_UNSUPPORTED_CARD:
      return new JpkiError('ERR_JPKI_NOT_JPKI_CARD', detail);
    case SCARD.E_NOT_TRANSACTED:
    case SCARD.W_UNRESPONSIVE_CARD:
    case SCARD.W_UNPOWERED_CARD:
    case SCARD.E_PROTO_MISMATCH:
    case SCARD.E_NOT_READY:
    case SCARD.E_TIMEOUT:
      // Ambiguous: a card pulled mid-APDU often shows up as one of these. The backend asks the
      // reader whether the card is still there (needsPresenceCheck) and turns it into CARD_REMOVED.
      return new JpkiError('ERR_JPKI_CARD_ERROR', detail);
    default:
      return new JpkiError('ERR_JPKI_CARD_ERROR', detail);
  }
}

/** A transmit failure that may be a pulled card: worth asking the reader before answering. */
export function needsPresenceCheck(error: unknown): boolean {
  const code = pcscCode(error);
  return (
    code === SCARD.E_NOT_TRANSACTED ||
    code === SCARD.W_UNRESPONSIVE_CARD ||
    code === SCARD.W_UNPOWERED_CARD ||
    code === SCARD.E_PROTO_MISMATCH ||
    code === SCARD.E_NOT_READY ||
    code === SCARD.E_TIMEOUT
  );
}

/**
 * What a failed SCardConnect says about a reader while surveying: no card in it, a card someone
 * else holds, or a failure the operation cannot go on from (raised, then mapped above).
 */
export function connectOutcome(error: unknown): 'no-card' | 'busy' | 'fail' {
  switch (pcscCode(error)) {
    case SCARD.E_NO_SMARTCARD:
    case SCARD.W_REMOVED_CARD:
    case SCARD.W_UNRESPONSIVE_CARD:
    case SCARD.W_UNPOWERED_CARD:
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
      return 'no-card';
    case SCARD.E_SHARING_VIOLATION:
      return 'busy';
    default:
      return 'fail';
  }
}
