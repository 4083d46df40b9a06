/**
 * The JPKI applet (docs/ARCHITECTURE.md §8) as operations. Commands use this, never raw APDUs. It remembers
 * which EF is selected so that the retry counter, VERIFY and CHANGE REFERENCE DATA (which act on
 * the selected PIN EF) share one SELECT — the APDU count is a measured target.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { CERTIFICATE_PRESENT, EF, SW, TOKEN_INFO_LABEL } from '@jpki-bridge/shared/card';
import { POLICY, type KeyKind } from '@jpki-bridge/shared/policy';
import { Apdu, type Response } from './apdu.ts';
import { expectOk, expectVerified, retriesFromStatus } from './status-words.ts';
import { type CardTransport, exchange } from './transport.ts';

const READ_CHUNK = 256;
/** A certificate EF longer than this is not a certificate we know how to read (bounds the loop). */
const MAX_CERTIFICATE = 8192;

export type Retries = number;

export class JpkiCard {
  private selected: string | null = null;
  /** True once a VERIFY with data went out: the release must then reset the card. */
  verifyAttempted = false;
  /** Another application of the card holds the selection (`lend`): the applet is SELECTed again first. */
  private lentTo: object | null = null;

  constructor(private readonly transport: CardTransport) {}

  /**
   * Lends the card, inside the same exclusive hold, to another of its applications (card-ID, text:
   * card-id-app.ts, text-app.ts), which SELECTs its own DF on this transport. The applet is
   * SELECTed again before its next EF; `isLentTo` tells a borrower whether it still has the card.
   * A borrower that VERIFYs sets `verifyAttempted`, so the release resets the card all the same.
   */
  lend(borrower: object): CardTransport {
    this.lentTo = borrower;
    this.selected = null;
    return this.transport;
  }

  isLentTo(borrower: object): boolean {
    return this.lentTo === borrower;
  }

  /** SELECT the JPKI applet. 6A 82 → not a JPKI card (this is how cards are detected, never by ATR). */
  async selectAp(): Promise<void> {
    const { sw } = await exchange(this.transport, Apdu.selectAp());
    this.selected = null;
    if (sw === SW.FILE_NOT_FOUND || sw === SW.INCORRECT_P1P2 || sw === SW.CLA_NOT_SUPPORTED || sw === SW.INS_NOT_SUPPORTED) {
      throw new JpkiError('ERR_JPKI_NOT_JPKI_CARD');
    }
    expectOk(sw, 'SELECT JPKI-AP');
    this.lentTo = null;
    this.selected = 'AP';
  }

  async selectEf(fid: string): Promise<void> {
    if (this.lentTo !== null) await this.selectAp();
    if (this.selected === fid) return;
    this.selected = null;
    const { sw } = await exchange(this.transport, Apdu.selectEf(fid));
    expectOk(sw, `SELECT EF ${fid}`);
    this.selected = fid;
  }

  /**
   * A certificate EF: `30 82 LL LL` + LLLL bytes. The first read asks for a full 256 bytes (it
   * holds the header), the rest follows in 256-byte reads, the last one exactly as long as needed:
   * ⌈(4 + LLLL) / 256⌉ READ BINARYs in all.
   */
  async readCertificate(fid: string): Promise<Uint8Array> {
    await this.selectEf(fid);
    let first = await this.read(0, READ_CHUNK);
    if (first.sw === SW.WRONG_LENGTH || first.sw === SW.OFFSET_BEYOND_EF) first = await this.read(0, 4); // a short EF
    expectOk(first.sw, `READ BINARY ${fid}`);
    const head = first.data;
    if (head.length < 4 || head[0] !== 0x30 || head[1] !== 0x82) throw new JpkiError('ERR_JPKI_CARD_ERROR', `EF ${fid} holds no certificate`);
    const total = 4 + ((head[2]! << 8) | head[3]!);
    if (total > MAX_CERTIFICATE) throw new JpkiError('ERR_JPKI_CARD_ERROR', `EF ${fid}: certificate length ${total} is implausible`);
    const out = new Uint8Array(total);
    out.set(head.subarray(0, Math.min(head.length, total)), 0);
    let at = Math.min(head.length, total);
    while (at < total) {
      const { data, sw } = await this.read(at, Math.min(READ_CHUNK, total - at));
      expectOk(sw, `READ BINARY ${fid}`);
      if (data.length === 0) throw new JpkiError('ERR_JPKI_CARD_ERROR', `EF ${fid} ended early`);
      out.set(data.subarray(0, total - at), at);
      at += data.length;
    }
    return out;
  }

  /** Tries left for a key's PIN, read without spending one (VERIFY with no data → 63 Cx). The text PIN is text-app.ts's. */
  async retries(kind: KeyKind): Promise<Retries> {
    await this.selectEf(POLICY[kind].pinEf);
    const { sw } = await exchange(this.transport, Apdu.retryCounter());
    return retriesFromStatus(sw, POLICY[kind].maxTries, 'retry counter');
  }

  /** VERIFY. Wrong PIN → PIN_INCORRECT with retriesLeft; 63 C0 / 69 84 → PIN_LOCKED. */
  async verify(kind: KeyKind, pin: Uint8Array): Promise<void> {
    await this.selectEf(POLICY[kind].pinEf);
    this.verifyAttempted = true;
    const apdu = Apdu.verify(pin);
    let sw: number;
    try {
      ({ sw } = await exchange(this.transport, apdu));
    } finally {
      apdu.fill(0); // the APDU holds a copy of the PIN
    }
    expectVerified(sw, 'VERIFY');
  }

  /** CHANGE REFERENCE DATA for the PIN just verified. */
  async changePin(kind: KeyKind, newPin: Uint8Array): Promise<void> {
    await this.selectEf(POLICY[kind].pinEf);
    const apdu = Apdu.changePin(newPin);
    try {
      const { sw } = await exchange(this.transport, apdu);
      expectOk(sw, 'CHANGE REFERENCE DATA');
    } finally {
      apdu.fill(0); // the APDU holds a copy of the new PIN
    }
  }

  /** RSA-2048 PKCS#1 v1.5 over a DigestInfo with the key of `kind` (needs its PIN verified). */
  async sign(kind: KeyKind, digestInfo: Uint8Array): Promise<Uint8Array> {
    await this.selectEf(POLICY[kind].keyEf);
    const { data, sw } = await exchange(this.transport, Apdu.sign(digestInfo));
    expectOk(sw, 'COMPUTE DIGITAL SIGNATURE');
    if (data.length !== 256) throw new JpkiError('ERR_JPKI_CARD_ERROR', `signature of ${data.length} bytes`);
    return data.slice();
  }

  /** EF 0008: which certificates the card holds (8F = present). */
  async availability(): Promise<{ sign: boolean; auth: boolean }> {
    await this.selectEf(EF.certificateAvailability);
    const { data, sw } = await this.read(0, 3);
    expectOk(sw, 'READ BINARY 0008');
    return { sign: data[0] === CERTIFICATE_PRESENT, auth: data[1] === CERTIFICATE_PRESENT };
  }

  /** EF 0006's label: `JPKIAPICCTOKEN2` on a My Number card. */
  async tokenLabel(): Promise<string> {
    await this.selectEf(EF.tokenInfo);
    const { data, sw } = await this.read(0, 32);
    if (sw !== SW.OK) return '';
    return new TextDecoder('ascii').decode(data).replace(/[\s\0]+$/, '');
  }

  private read(offset: number, le: number): Promise<Response> {
    return exchange(this.transport, Apdu.readBinary(offset, le));
  }
}

export function cardTypeOf(label: string): string {
  return label === TOKEN_INFO_LABEL ? 'my-number-card' : label ? `jpki:${label}` : 'jpki';
}
