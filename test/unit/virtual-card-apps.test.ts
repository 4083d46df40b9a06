/**
 * The virtual card's card-ID and text applications, APDU by APDU, in the forms jpki/myna sends:
 * SELECT by DF name (P2 0C), READ RECORD `00 B2 01 0C 00`, SELECT EF, VERIFY, READ BINARY.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualJpkiCard } from '../../native-host/src/virtual-card/card.ts';
import { ATRS } from '../../native-host/src/virtual-card/atr.ts';
import { resetPins } from '../../native-host/src/virtual-card/reset.ts';
import { loadCardState, saveCardState } from '../../native-host/src/virtual-card/state-file.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { traceCommand } from '../../native-host/src/virtual-card/trace.ts';
import { changeApdu, READ_RECORD_1, SELECT_CARD_ID, SELECT_JPKI, SELECT_TEXT, selectEf, verifyApdu } from '../harness/raw-apdus.ts';
import { sharedCardState } from './shared-cards.ts';

let adult: VirtualCardState;
beforeAll(async () => {
  adult = await sharedCardState('hanako');
});

function cardOf(state: VirtualCardState = adult) {
  const copy = structuredClone(state);
  const counter = { changes: 0 };
  const card = new VirtualJpkiCard(copy, { onStateChange: () => counter.changes++ });
  const tx = (hex: string) => Buffer.from(card.transmit(Buffer.from(hex, 'hex'))).toString('hex');
  return { card, state: copy, counter, tx };
}

/** One BER TLV at `at`: tag bytes, value (definite lengths only; enough to check our files). */
function tlvAt(bytes: Buffer, at = 0): { tag: string; value: Buffer; end: number } {
  let i = at + 1;
  if ((bytes[at]! & 0x1f) === 0x1f) while (bytes[i++]! & 0x80);
  const tag = bytes.subarray(at, i).toString('hex');
  let length = bytes[i++]!;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = bytes.subarray(i, i + n).reduce((acc, b) => (acc << 8) | b, 0);
    i += n;
  }
  return { tag, value: bytes.subarray(i, i + length), end: i + length };
}

function readEf(tx: (hex: string) => string, fid: string): { sw: string; data: Buffer } {
  expect(tx(selectEf(fid))).toBe('9000');
  const response = tx('00b0000000');
  return { sw: response.slice(-4), data: Buffer.from(response.slice(0, -4), 'hex') };
}

describe('card-ID application', () => {
  it('SELECT by DF name with P2 0C answers 90 00', () => expect(cardOf().tx(SELECT_CARD_ID)).toBe('9000'));

  it('READ RECORD 1 of SFI 1 is one BER TLV whose value holds the manufacture number at characters [2, 15)', () => {
    const { tx } = cardOf();
    tx(SELECT_CARD_ID);
    const response = tx(READ_RECORD_1);
    expect(response.slice(-4)).toBe('9000');
    const record = Buffer.from(response.slice(0, -4), 'hex');
    const { value, end } = tlvAt(record);
    expect(end).toBe(record.length);
    expect(value.toString('ascii').slice(2, 15)).toBe(adult.cardId.manufactureNumber);
    expect(adult.cardId.manufactureNumber).toMatch(/^[0-9A-Z]{13}$/);
  });

  it('two new cards have different manufacture numbers', async () => {
    const other = await sharedCardState('adult'); // another card createCardState made
    expect(other.cardId.manufactureNumber).not.toBe(adult.cardId.manufactureNumber);
  });

  it('an Le shorter than the record is answered 6C with the record length', () => {
    const { tx } = cardOf();
    tx(SELECT_CARD_ID);
    const length = Buffer.from(tx(READ_RECORD_1).slice(0, -4), 'hex').length;
    expect(tx('00b2010c05')).toBe(`6c${length.toString(16).padStart(2, '0')}`);
  });

  it('record 2 is not found (6A 83), SFI 2 is no file (6A 82), P2 without "record P1" is 6A 86', () => {
    const { tx } = cardOf();
    tx(SELECT_CARD_ID);
    expect(tx('00b2020c00')).toBe('6a83');
    expect(tx('00b2011400')).toBe('6a82');
    expect(tx('00b2010d00')).toBe('6a86');
    expect(tx('00b2000c00')).toBe('6a86');
  });

  it('READ RECORD finds nothing in the JPKI applet or before any SELECT', () => {
    const fresh = cardOf();
    expect(fresh.tx(READ_RECORD_1)).toBe('6a82');
    fresh.tx(SELECT_JPKI);
    expect(fresh.tx(READ_RECORD_1)).toBe('6a82');
  });

  it('the JPKI EFs are not reachable from the card-ID application', () => {
    const { tx } = cardOf();
    tx(SELECT_CARD_ID);
    expect(tx(selectEf('000a'))).toBe('6a82');
  });
});

describe('text application', () => {
  it('SELECT by DF name with P2 0C answers 90 00; its PIN counter reads 63 C3 without spending a try', () => {
    const { tx, counter } = cardOf();
    expect(tx(SELECT_TEXT)).toBe('9000');
    expect(tx(selectEf('0011'))).toBe('9000');
    expect(tx('00200080')).toBe('63c3');
    expect(tx('00200080')).toBe('63c3');
    expect(counter.changes).toBe(0);
  });

  it('EF 0002 answers 69 82 before the text PIN is verified', () => {
    const { tx } = cardOf();
    tx(SELECT_TEXT);
    expect(readEf(tx, '0002').sw).toBe('6982');
  });

  it('after the default text PIN (1234), EF 0002 is FF20 { header, name, address, birth YYYYMMDD, sex } in UTF-8', () => {
    const { tx } = cardOf();
    tx(SELECT_TEXT);
    tx(selectEf('0011'));
    expect(tx(verifyApdu('1234'))).toBe('9000');
    const { sw, data } = readEf(tx, '0002');
    expect(sw).toBe('9000');
    const outer = tlvAt(data);
    expect(outer.tag).toBe('ff20');
    expect(outer.end).toBe(data.length);
    const items: string[] = [];
    for (let at = 0; at < outer.value.length; ) {
      const item = tlvAt(outer.value, at);
      items.push(`${item.tag}=${item.value.toString('utf8')}`);
      at = item.end;
    }
    expect(items.slice(1)).toEqual(['df22=試験 花子', 'df23=大阪府大阪市北区中之島1-3-20', 'df24=19900228', 'df25=2']);
    expect(items[0]!.startsWith('df21=')).toBe(true);
  });

  it('a long address gets a long-form BER length and is read back whole', () => {
    const long = structuredClone(adult);
    long.persona.address = '北海道'.repeat(30); // 270 bytes of UTF-8
    const { tx } = cardOf(long);
    tx(SELECT_TEXT);
    tx(selectEf('0011'));
    tx(verifyApdu('1234'));
    tx(selectEf('0002'));
    const chunks: Buffer[] = [];
    for (let offset = 0; ; offset += 256) {
      const response = tx(`00b0${offset.toString(16).padStart(4, '0')}00`);
      if (response === '6b00') break;
      chunks.push(Buffer.from(response.slice(0, -4), 'hex'));
      if (response.length < (256 + 2) * 2) break;
    }
    const all = Buffer.concat(chunks);
    expect(all[2]).toBe(0x82); // FF 20 82 LL LL
    const outer = tlvAt(all);
    const name = tlvAt(outer.value, tlvAt(outer.value).end);
    expect(tlvAt(outer.value, name.end).value.toString('utf8')).toBe('北海道'.repeat(30));
  });

  it('a wrong text PIN answers 63 Cx, the 3rd locks it (63 C0, then 69 84 even for the right PIN)', () => {
    const { tx, state } = cardOf();
    tx(SELECT_TEXT);
    tx(selectEf('0011'));
    expect([tx(verifyApdu('0000')), tx(verifyApdu('0000')), tx(verifyApdu('0000'))]).toEqual(['63c2', '63c1', '63c0']);
    expect(tx(verifyApdu('1234'))).toBe('6984');
    expect(tx('00200080')).toBe('63c0');
    expect(state.pins.text.retriesLeft).toBe(0);
  });

  it('the text PIN has its own counter: misses there leave the authentication PIN untouched, and back', () => {
    const { tx, state } = cardOf();
    tx(SELECT_TEXT);
    tx(selectEf('0011'));
    tx(verifyApdu('0000'));
    tx(SELECT_JPKI);
    tx(selectEf('0018'));
    expect(tx('00200080')).toBe('63c3');
    tx(verifyApdu('9999'));
    tx(SELECT_TEXT);
    tx(selectEf('0011'));
    expect(tx('00200080')).toBe('63c2');
    expect([state.pins.text.retriesLeft, state.pins.auth.retriesLeft]).toEqual([2, 2]);
  });

  it('the authentication PIN does not open EF 0002', () => {
    const { tx } = cardOf();
    tx(SELECT_JPKI);
    tx(selectEf('0018'));
    expect(tx(verifyApdu('1234'))).toBe('9000');
    tx(SELECT_TEXT);
    expect(readEf(tx, '0002').sw).toBe('6982');
  });

  it('a lock persists (a new card on the saved state) and reset-pins clears it', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'jpki-vc-text-')), 'card.json');
    const first = cardOf();
    first.tx(SELECT_TEXT);
    first.tx(selectEf('0011'));
    for (let i = 0; i < 3; i++) first.tx(verifyApdu('0000'));
    await saveCardState(file, first.state);
    const loaded = await loadCardState(file);
    const again = cardOf(loaded);
    again.tx(SELECT_TEXT);
    again.tx(selectEf('0011'));
    expect(again.tx(verifyApdu('1234'))).toBe('6984');
    resetPins(loaded);
    const reset = cardOf(loaded);
    reset.tx(SELECT_TEXT);
    reset.tx(selectEf('0011'));
    expect(reset.tx('00200080')).toBe('63c3');
    expect(reset.tx(verifyApdu('1234'))).toBe('9000');
  });

  it('EF 0001 (the My Number) exists behind the text PIN, holding a fake number whose check digit is wrong', () => {
    const { tx } = cardOf();
    tx(SELECT_TEXT);
    expect(readEf(tx, '0001').sw).toBe('6982');
    tx(selectEf('0011'));
    tx(verifyApdu('1234'));
    const { sw, data } = readEf(tx, '0001');
    expect(sw).toBe('9000');
    expect(tlvAt(data).value.toString('ascii')).toBe(adult.text.myNumber);
    expect(adult.text.myNumber).toMatch(/^[0-9]{12}$/);
  });

  it('a card reset drops the text PIN verification and the selection', () => {
    const { tx, card } = cardOf();
    tx(SELECT_TEXT);
    tx(selectEf('0011'));
    tx(verifyApdu('1234'));
    card.reset();
    expect(tx(selectEf('0002'))).toBe('6a82');
    tx(SELECT_TEXT);
    expect(readEf(tx, '0002').sw).toBe('6982');
  });

  it('CHANGE REFERENCE DATA keeps the 4-digit rule for the text PIN', () => {
    const { tx, state } = cardOf();
    tx(SELECT_TEXT);
    tx(selectEf('0011'));
    tx(verifyApdu('1234'));
    expect(tx(changeApdu('ABC123'))).toBe('6a80');
    expect(tx(changeApdu('4321'))).toBe('9000');
    expect([state.pins.text.value, state.pins.auth.value]).toEqual(['4321', '1234']);
  });

  it('the trace masks the PIN bytes of the text VERIFY', () => {
    expect(traceCommand(Buffer.from(verifyApdu('1234'), 'hex'))).toBe('0020008004********');
  });
});

describe('selection across applications', () => {
  it('unknown AIDs still answer 6A 82 and keep the selected application', () => {
    const { tx } = cardOf();
    tx(SELECT_TEXT);
    expect(tx('00a4040c0ad3921000310001010402')).toBe('6a82'); // the card face image AP: not emulated
    expect(tx('00a4040c07a0000000030000')).toBe('6a82');
    expect(tx(selectEf('0011'))).toBe('9000');
  });

  it('the EFs of one application are not found from another (EF 0002 under JPKI is its signing CA certificate)', () => {
    const { tx } = cardOf();
    tx(SELECT_JPKI);
    expect(tx(selectEf('0011'))).toBe('6a82');
    tx(SELECT_TEXT);
    expect(tx(selectEf('000a'))).toBe('6a82');
    expect(tx(selectEf('0018'))).toBe('6a82');
  });
});

describe('ATR', () => {
  it('is the neutral one unless chosen, and each choice answers its own bytes', () => {
    expect(Buffer.from(cardOf().card.atr).toString('hex')).toBe(Buffer.from(ATRS.neutral).toString('hex'));
    const contact = { ...structuredClone(adult), atr: 'contact' as const };
    const contactless = { ...structuredClone(adult), atr: 'contactless' as const };
    expect(Buffer.from(cardOf(contact).card.atr).toString('hex')).toBe('3bf59100ff918171fe400042000100d1d6');
    expect(Buffer.from(cardOf(contactless).card.atr).toString('hex')).toBe('3b888001000005e0b381a1007f');
  });

  it('every ATR has a correct TCK (XOR of T0 … TCK is 0)', () => {
    for (const atr of Object.values(ATRS)) expect(atr.subarray(1).reduce((x, b) => x ^ b, 0)).toBe(0);
  });
});

describe('text application under random APDUs', () => {
  it('never shows the My Number or the card-face text without the text PIN', () => {
    const apdu = fc.oneof(
      fc.constantFrom(SELECT_TEXT, SELECT_JPKI, SELECT_CARD_ID, selectEf('0001'), selectEf('0002'), selectEf('0011'), READ_RECORD_1, '00200080'),
      fc
        .record({
          ins: fc.constantFrom(0xa4, 0xb0, 0xb2, 0x20, 0x24),
          p1: fc.constantFrom(0x00, 0x01, 0x02, 0x04, 0x80),
          p2: fc.constantFrom(0x00, 0x0c, 0x80, 0x04),
          data: fc.uint8Array({ maxLength: 12 }),
          le: fc.option(fc.integer({ min: 0, max: 255 })),
        })
        .map(({ ins, p1, p2, data, le }) =>
          Buffer.from([0x00, ins, p1, p2, ...(data.length ? [data.length, ...data] : []), ...(le === null ? [] : [le])]).toString('hex'),
        ),
    );
    const myNumber = Buffer.from(adult.text.myNumber, 'ascii').toString('hex');
    const name = Buffer.from(adult.persona.name, 'utf8').toString('hex');
    fc.assert(
      fc.property(fc.array(apdu, { maxLength: 30 }), (apdus) => {
        const copy = structuredClone(adult);
        copy.pins.text.value = '9753'; // a PIN 30 random tries will not hit
        const { tx } = cardOf(copy);
        for (const command of apdus) {
          const data = tx(command).slice(0, -4);
          expect(data).not.toContain(myNumber);
          expect(data).not.toContain(name);
        }
      }),
      { numRuns: 300 },
    );
  });
});
