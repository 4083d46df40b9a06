/**
 * The text application (券面事項入力補助AP): its PIN's retry counter, VERIFY and change, and the
 * card face's four items from EF 0002. It knows exactly two EFs, TEXT_EF.pin and TEXT_EF.attributes, and
 * selects nothing else: EF 0001 (the My Number) cannot be named here, so it is never read.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { SW } from '@jpki-bridge/shared/card';
import { TEXT_AID, TEXT_EF, TEXT_PIN_MAX_TRIES } from '@jpki-bridge/shared/card-apps';
import { Apdu } from './apdu.ts';
import { readTlv, readTlvHeader, readTlvs } from './ber-tlv.ts';
import type { JpkiCard } from './jpki-card.ts';
import { expectOk, expectVerified, retriesFromStatus } from './status-words.ts';
import { type CardTransport, exchange } from './transport.ts';

/** The card face's text as the card holds it (UTF-8 decoded, not reformatted). */
export interface CardFaceText {
  name: string;
  address: string;
  /** YYYYMMDD */
  birthday: string;
  /** 1 male, 2 female, 9 not applicable (the card's code) */
  sex: string;
}

type TextEf = (typeof TEXT_EF)[keyof typeof TEXT_EF];

/** The first read of EF 0002: enough for any tag and length header (jpki/myna reads 7 too). */
const HEAD = 7;
const READ_CHUNK = 256;
/** EF 0002 longer than this is not the card face's text (bounds the read loop). */
const MAX_ATTRIBUTES = 4096;
const TEXT_PIN_LENGTH = 4;
/** Holds the card while the text application is being selected: a failed SELECT leaves the card lent to no TextApp. */
const SELECTING = {};

export class TextApp {
  private selected: TextEf | null = null;

  private constructor(private readonly card: Pick<JpkiCard, 'lend' | 'isLentTo' | 'verifyAttempted'>) {}

  /** SELECT the text application by DF name; a card without it is a card error. */
  static async open(card: Pick<JpkiCard, 'lend' | 'isLentTo' | 'verifyAttempted'>): Promise<TextApp> {
    const ap = await TextApp.openIfPresent(card);
    if (!ap) throw noTextApplication();
    return ap;
  }

  /** The same, or null when the card has no text application (6A 82): `status` reports the text PIN's counter only when there is one. */
  static async openIfPresent(card: Pick<JpkiCard, 'lend' | 'isLentTo' | 'verifyAttempted'>): Promise<TextApp | null> {
    const ap = new TextApp(card);
    return (await ap.selectApplication()) ? ap : null;
  }

  /** Tries left for the text PIN, read without spending one (VERIFY with no data → 63 Cx). */
  async retries(): Promise<number> {
    const transport = await this.select(TEXT_EF.pin);
    const { sw } = await exchange(transport, Apdu.retryCounter());
    return retriesFromStatus(sw, TEXT_PIN_MAX_TRIES, 'text PIN retry counter');
  }

  /**
   * VERIFY the text PIN (4 ASCII digits; anything else is refused before the card, whatever the
   * caller checked). Wrong → PIN_INCORRECT with the tries left; locked → PIN_LOCKED.
   */
  async verify(pin: Uint8Array): Promise<void> {
    refuseUnlessFourDigits(pin);
    const transport = await this.select(TEXT_EF.pin);
    this.card.verifyAttempted = true;
    const apdu = Apdu.verify(pin);
    let sw: number;
    try {
      ({ sw } = await exchange(transport, apdu));
    } finally {
      apdu.fill(0); // the APDU holds a copy of the PIN
    }
    expectVerified(sw, 'VERIFY (text PIN)');
  }

  /** CHANGE REFERENCE DATA (`00 24 01 80`) for the text PIN just verified; the new PIN is 4 ASCII digits or refused before the card. */
  async changePin(newPin: Uint8Array): Promise<void> {
    refuseUnlessFourDigits(newPin);
    const transport = await this.select(TEXT_EF.pin);
    const apdu = Apdu.changePin(newPin);
    try {
      const { sw } = await exchange(transport, apdu);
      expectOk(sw, 'CHANGE REFERENCE DATA (text PIN)');
    } finally {
      apdu.fill(0); // the APDU holds a copy of the new PIN
    }
  }

  /**
   * EF 0002 (needs the text PIN verified): `T L { header, name, address, birth, sex }`, taken by
   * position as jpki/myna does — 7 header bytes first, then exactly the rest.
   */
  async readAttributes(): Promise<CardFaceText> {
    const transport = await this.select(TEXT_EF.attributes);
    const head = await this.read(transport, 0, HEAD);
    const header = readTlvHeader(head);
    if (!header) throw new JpkiError('ERR_JPKI_CARD_ERROR', 'EF 0002 is too short');
    const total = header.headerLength + header.valueLength;
    if (total > MAX_ATTRIBUTES) throw new JpkiError('ERR_JPKI_CARD_ERROR', `EF 0002: length ${total} is implausible`);
    const file = new Uint8Array(Math.max(total, head.length));
    file.set(head, 0);
    for (let at = head.length; at < total; ) {
      const data = await this.read(transport, at, Math.min(READ_CHUNK, total - at));
      if (data.length === 0) throw new JpkiError('ERR_JPKI_CARD_ERROR', 'EF 0002 ended early');
      file.set(data.subarray(0, total - at), at);
      at += data.length;
    }
    const items = readTlvs(readTlv(file.subarray(0, total)).value);
    if (items.length < 5) throw new JpkiError('ERR_JPKI_CARD_ERROR', `EF 0002 holds ${items.length} elements, not header + 4`);
    const [, name, address, birthday, sex] = items.map((item) => utf8(item.value));
    return { name: name!, address: address!, birthday: birthday!, sex: sex! };
  }

  private async read(transport: CardTransport, offset: number, le: number): Promise<Uint8Array> {
    const { data, sw } = await exchange(transport, Apdu.readBinary(offset, le));
    if (sw === SW.SECURITY_STATUS_NOT_SATISFIED) throw new JpkiError('ERR_JPKI_CARD_ERROR', 'EF 0002 needs the text PIN verified first');
    expectOk(sw, 'READ BINARY (text application)');
    return data;
  }

  /** SELECT one of the two EFs this module knows (cached while the card stays lent to us). */
  private async select(fid: TextEf): Promise<CardTransport> {
    const transport = await this.transport();
    if (this.selected === fid) return transport;
    this.selected = null;
    const { sw } = await exchange(transport, Apdu.selectEf(fid));
    expectOk(sw, `SELECT EF ${fid} (text application)`);
    this.selected = fid;
    return transport;
  }

  /** The card's transport with the text application selected — again, if the JPKI applet was used meanwhile. */
  private async transport(): Promise<CardTransport> {
    if (!this.card.isLentTo(this) && !(await this.selectApplication())) throw noTextApplication();
    return this.card.lend(this);
  }

  /** SELECT the application by DF name: false when the card has none (6A 82). */
  private async selectApplication(): Promise<boolean> {
    this.selected = null;
    const transport = this.card.lend(SELECTING);
    const { sw } = await exchange(transport, Apdu.selectDf(TEXT_AID));
    if (sw === SW.FILE_NOT_FOUND) return false;
    expectOk(sw, 'SELECT text application');
    this.card.lend(this);
    return true;
  }
}

function noTextApplication(): JpkiError {
  return new JpkiError('ERR_JPKI_CARD_ERROR', 'the card has no text application');
}

/** The text PIN's form, whatever the caller checked: anything else never reaches the card. */
function refuseUnlessFourDigits(pin: Uint8Array): void {
  if (pin.length !== TEXT_PIN_LENGTH || !pin.every((byte) => byte >= 0x30 && byte <= 0x39)) {
    throw new JpkiError('ERR_JPKI_PIN_FORMAT', 'the text PIN must be 4 digits');
  }
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new JpkiError('ERR_JPKI_CARD_ERROR', 'EF 0002 holds text that is not UTF-8');
  }
}
