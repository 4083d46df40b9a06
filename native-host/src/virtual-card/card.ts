/**
 * VirtualJpkiCard: an APDU-level emulation of the My Number card's JPKI applet, faithful enough
 * that OpenSC's `jpki` driver and our own PC/SC driver work against it unchanged, plus the card-ID
 * and text applications (applications.ts). This file only dispatches; parsing, files, PINs and
 * RSA live beside it.
 */
import { MAX_SIGN_INPUT, SW } from '@jpki-bridge/shared/card';
import { SW_EXTRA, parseApdu, respond, type CommandApdu } from './apdu.ts';
import { buildApplications, type CardApplication } from './applications.ts';
import { ATRS } from './atr.ts';
import type { CardFile } from './files.ts';
import { PinChecker } from './pins.ts';
import { Signer } from './signer.ts';
import type { KeyKind, VirtualCardState } from './state.ts';

/** The default ATR (atr.ts `neutral`): drivers must find the card by SELECTing the AID. */
export const VIRTUAL_ATR = ATRS.neutral;

export interface VirtualCardOptions {
  /** Called after every change of counters, locks or PINs, with the (mutated) state to persist. */
  onStateChange?: (state: VirtualCardState) => void;
}

export class VirtualJpkiCard {
  readonly atr: Uint8Array;
  private readonly applications: CardApplication[];
  private readonly pins: PinChecker;
  private readonly signers = new Map<KeyKind, Signer>();
  private application: CardApplication | null = null;
  private currentFid: string | null = null;

  constructor(
    readonly state: VirtualCardState,
    options: VirtualCardOptions = {},
  ) {
    this.atr = ATRS[state.atr];
    this.applications = buildApplications(state);
    this.pins = new PinChecker(state.pins, () => options.onStateChange?.(state));
    this.signers.set('auth', new Signer(state.auth.key));
    if (state.sign) this.signers.set('sign', new Signer(state.sign.key));
  }

  /** Warm reset: the selection and every verified PIN are gone; counters are not touched. */
  reset(): void {
    this.application = null;
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
      case 0xb2:
        return this.readRecord(apdu);
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
    // OpenSC's jpki driver and jpki/myna send P2 0C (no FCI); 00 is accepted too and answers no FCI.
    if (apdu.p2 !== 0x0c && apdu.p2 !== 0x00) return SW.INCORRECT_P1P2;
    if (apdu.p1 === 0x04) {
      // A failed SELECT leaves the current selection alone, as ISO 7816-4 cards do.
      const application = this.applications.find((app) => sameBytes(apdu.data, app.aid));
      if (!application) return SW.FILE_NOT_FOUND;
      this.application = application;
      this.currentFid = null;
      return SW.OK;
    }
    if (apdu.p1 !== 0x02) return SW.INCORRECT_P1P2;
    if (apdu.data.length !== 2) return SW.WRONG_LENGTH;
    const fid = Buffer.from(apdu.data).toString('hex').toUpperCase();
    // EFs live in an application: before selecting one, there is nothing to find.
    if (!this.application?.files.has(fid)) return SW.FILE_NOT_FOUND;
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

  /**
   * READ RECORD by SFI (P2 = SFI << 3 | 4: record number P1), as jpki/myna reads the card-ID
   * record (`00 B2 01 0C 00`). An Le shorter than the record gets `6C xx`, the length to ask for.
   */
  private readRecord(apdu: CommandApdu): Uint8Array {
    if ((apdu.p2 & 0x07) !== 0x04 || apdu.p1 === 0x00) return respond(SW.INCORRECT_P1P2);
    if (apdu.data.length > 0 || apdu.le === null) return respond(SW.WRONG_LENGTH);
    const sfi = apdu.p2 >> 3;
    if (sfi === 0) return respond(SW_EXTRA.COMMAND_NOT_ALLOWED); // "the current EF": no record EF is ever current
    const records = this.application?.records.get(sfi);
    if (!records) return respond(SW.FILE_NOT_FOUND);
    const record = records[apdu.p1 - 1];
    if (!record) return respond(SW_EXTRA.RECORD_NOT_FOUND);
    if (apdu.le < record.length) return respond(SW_EXTRA.WRONG_LE | (record.length & 0xff));
    return respond(SW.OK, record);
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
    return this.currentFid === null ? undefined : this.application?.files.get(this.currentFid);
  }
}

const KNOWN_INS = new Set([0xa4, 0xb0, 0xb2, 0x20, 0x24, 0x2a]);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
