/**
 * VirtualJpkiCard: an APDU-level emulation of the JPKI applet (DESIGN §7, §8), faithful enough
 * that OpenSC's `jpki` driver and our own PC/SC driver work against it unchanged. This file only
 * dispatches; parsing, files, PINs and RSA live beside it.
 */
import { JPKI_AID, SW } from '@jpki-bridge/shared/card';
import { SW_EXTRA, parseApdu, respond, type CommandApdu } from './apdu.ts';
import { buildFiles, type CardFile } from './files.ts';
import { PinChecker } from './pins.ts';
import { MAX_SIGN_INPUT, Signer } from './signer.ts';
import type { PinKind, VirtualCardState } from './state.ts';

/**
 * T=1, historical bytes "JPKIVCRD". Deliberately NOT the real card's ATR (3B E0 00 FF 81 31 FE
 * 45 14, which OpenSC matches directly): drivers must find the card by SELECTing the AID.
 */
export const VIRTUAL_ATR = withTck([0x3b, 0x88, 0x80, 0x01, ...Buffer.from('JPKIVCRD', 'ascii')]);

export interface VirtualCardOptions {
  /** Called after every change of counters, locks or PINs, with the (mutated) state to persist. */
  onStateChange?: (state: VirtualCardState) => void;
}

export class VirtualJpkiCard {
  readonly atr: Uint8Array = VIRTUAL_ATR;
  private readonly files: Map<string, CardFile>;
  private readonly pins: PinChecker;
  private readonly signers = new Map<PinKind, Signer>();
  private applicationSelected = false;
  private currentFid: string | null = null;

  constructor(
    readonly state: VirtualCardState,
    options: VirtualCardOptions = {},
  ) {
    this.files = buildFiles(state);
    this.pins = new PinChecker(state.pins, () => options.onStateChange?.(state));
    this.signers.set('auth', new Signer(state.auth.key));
    if (state.sign) this.signers.set('sign', new Signer(state.sign.key));
  }

  /** Warm reset: the selection and every verified PIN are gone; counters are not touched. */
  reset(): void {
    this.applicationSelected = false;
    this.currentFid = null;
    this.pins.clear();
  }

  transmit(bytes: Uint8Array): Uint8Array {
    const apdu = parseApdu(bytes);
    if (!apdu) return respond(SW.WRONG_LENGTH);
    const expectedCla = apdu.ins === 0x2a ? 0x80 : 0x00;
    if (!KNOWN_INS.has(apdu.ins)) return respond(apdu.cla === 0x00 || apdu.cla === 0x80 ? SW.INS_NOT_SUPPORTED : SW.CLA_NOT_SUPPORTED);
    if (apdu.cla !== expectedCla) return respond(SW.CLA_NOT_SUPPORTED);
    switch (apdu.ins) {
      case 0xa4:
        return respond(this.select(apdu));
      case 0xb0:
        return this.readBinary(apdu);
      case 0x20:
        return respond(this.verify(apdu));
      case 0x24:
        return respond(this.changeReferenceData(apdu));
      case 0x2a:
        return this.computeSignature(apdu);
      default:
        return respond(SW.INS_NOT_SUPPORTED);
    }
  }

  private select(apdu: CommandApdu): number {
    // OpenSC's jpki driver and DESIGN §7 send P2 0C (no FCI); 00 is accepted too and answers no FCI.
    if (apdu.p2 !== 0x0c && apdu.p2 !== 0x00) return SW.INCORRECT_P1P2;
    if (apdu.p1 === 0x04) {
      // A failed SELECT leaves the current selection alone, as ISO 7816-4 cards do.
      if (!sameBytes(apdu.data, JPKI_AID)) return SW.FILE_NOT_FOUND;
      this.applicationSelected = true;
      this.currentFid = null;
      return SW.OK;
    }
    if (apdu.p1 !== 0x02) return SW.INCORRECT_P1P2;
    if (apdu.data.length !== 2) return SW.WRONG_LENGTH;
    const fid = Buffer.from(apdu.data).toString('hex').toUpperCase();
    // The EFs live in the JPKI application: before selecting it, there is nothing to find.
    if (!this.applicationSelected || !this.files.has(fid)) return SW.FILE_NOT_FOUND;
    this.currentFid = fid;
    return SW.OK;
  }

  private readBinary(apdu: CommandApdu): Uint8Array {
    if (apdu.p1 & 0x80) return respond(SW.INCORRECT_P1P2); // short-EF addressing: not supported
    if (apdu.data.length > 0 || apdu.le === null) return respond(SW.WRONG_LENGTH);
    const file = this.current();
    if (file?.kind !== 'binary') return respond(SW_EXTRA.COMMAND_NOT_ALLOWED);
    if (file.access !== 'always' && !this.pins.isVerified(file.access)) return respond(SW.SECURITY_STATUS_NOT_SATISFIED);
    const offset = (apdu.p1 << 8) | apdu.p2;
    if (offset >= file.data.length) return respond(SW.OFFSET_BEYOND_EF);
    // Reading past the end returns what is there with 90 00 (see docs/DECISIONS.md).
    return respond(SW.OK, file.data.slice(offset, offset + apdu.le));
  }

  private verify(apdu: CommandApdu): number {
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x80) return SW.INCORRECT_P1P2;
    const file = this.current();
    if (file?.kind !== 'pin') return SW_EXTRA.COMMAND_NOT_ALLOWED;
    if (apdu.data.length === 0) return this.pins.retryCounter(file.pin);
    return this.pins.verify(file.pin, apdu.data);
  }

  private changeReferenceData(apdu: CommandApdu): number {
    if (apdu.p1 !== 0x01 || apdu.p2 !== 0x80) return SW.INCORRECT_P1P2;
    if (apdu.data.length === 0) return SW.WRONG_LENGTH;
    const file = this.current();
    if (file?.kind !== 'pin') return SW_EXTRA.COMMAND_NOT_ALLOWED;
    return this.pins.change(file.pin, apdu.data);
  }

  private computeSignature(apdu: CommandApdu): Uint8Array {
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x80) return respond(SW.INCORRECT_P1P2);
    if (apdu.data.length === 0 || apdu.data.length > MAX_SIGN_INPUT) return respond(SW.WRONG_LENGTH);
    const file = this.current();
    if (file?.kind !== 'key') return respond(SW_EXTRA.COMMAND_NOT_ALLOWED);
    if (!this.pins.isVerified(file.pin)) return respond(SW.SECURITY_STATUS_NOT_SATISFIED);
    return respond(SW.OK, this.signers.get(file.pin)!.sign(apdu.data));
  }

  private current(): CardFile | undefined {
    return this.currentFid === null ? undefined : this.files.get(this.currentFid);
  }
}

const KNOWN_INS = new Set([0xa4, 0xb0, 0x20, 0x24, 0x2a]);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** TCK: XOR of every ATR byte after TS; required when T=1 is indicated. */
function withTck(bytes: number[]): Uint8Array {
  const tck = bytes.slice(1).reduce((x, b) => x ^ b, 0);
  return Uint8Array.from([...bytes, tck]);
}

