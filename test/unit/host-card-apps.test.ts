/**
 * The card layer's card-ID and text applications: against scripted APDU exchanges (the exact
 * bytes jpki/myna sends) and against the in-process virtual card, with every APDU recorded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { scripted } from './scripted-transport.ts';
import { TEXT_EF } from '@jpki-bridge/shared/card-apps';
import { bytesToHex, hexToBytes } from '../../native-host/src/card/apdu.ts';
import { readTlv, readTlvHeader, readTlvs } from '../../native-host/src/card/ber-tlv.ts';
import { manufactureNumberOf, readManufactureNumber } from '../../native-host/src/card/card-id-app.ts';
import { JpkiCard } from '../../native-host/src/card/jpki-card.ts';
import { TextApp } from '../../native-host/src/card/text-app.ts';
import { VirtualJpkiCard } from '../../native-host/src/virtual-card/card.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { READ_RECORD_1, SELECT_CARD_ID, SELECT_JPKI, SELECT_TEXT, selectEf, verifyApdu } from '../harness/raw-apdus.ts';
import { sharedCardState } from './shared-cards.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ascii = (text: string) => Buffer.from(text, 'ascii').toString('hex');
const pin = (text: string) => Uint8Array.from(Buffer.from(text, 'ascii'));

let state: VirtualCardState;
beforeAll(async () => {
  state = await sharedCardState('hanako');
});

/** A JpkiCard on a fresh virtual card, every command recorded as hex. */
async function onVirtualCard(from: VirtualCardState = state) {
  const virtual = new VirtualJpkiCard(structuredClone(from));
  const sent: string[] = [];
  const card = new JpkiCard({
    async transmit(apdu) {
      sent.push(bytesToHex(apdu));
      return virtual.transmit(apdu);
    },
  });
  await card.selectAp();
  return { card, sent, virtual };
}

describe('BER TLV reader', () => {
  it('reads two-byte tags and short, 81 and 82 lengths', () => {
    expect(readTlv(hexToBytes('df2203414243'))).toMatchObject({ tag: 0xdf22, end: 6 });
    expect(readTlv(hexToBytes(`0481${'80'}${'00'.repeat(128)}`)).value.length).toBe(128);
    expect(readTlvHeader(hexToBytes('ff20820120'))).toEqual({ tag: 0xff20, headerLength: 5, valueLength: 0x120 });
    expect(readTlvs(hexToBytes('df2101aadf2200')).map((t) => t.tag)).toEqual([0xdf21, 0xdf22]);
  });
  it('a header cut short is null (read more), a value cut short or an indefinite length is a card error', () => {
    expect(readTlvHeader(hexToBytes('ff'))).toBeNull();
    expect(readTlvHeader(hexToBytes('ff2082'))).toBeNull();
    expect(() => readTlv(hexToBytes('300541'))).toThrow(expect.objectContaining({ code: 'ERR_JPKI_CARD_ERROR' }));
    expect(() => readTlv(hexToBytes('3080'))).toThrow(expect.objectContaining({ code: 'ERR_JPKI_CARD_ERROR' }));
    expect(() => readTlv(hexToBytes('1f818181810100'))).toThrow(expect.objectContaining({ code: 'ERR_JPKI_CARD_ERROR' }));
  });
});

describe('card-ID application', () => {
  it('sends SELECT 00 A4 04 0C 0A D3 92 10 00 31 00 01 01 01 00, READ RECORD 00 B2 01 0C 00, and takes characters [2, 15)', async () => {
    const t = scripted([
      [SELECT_JPKI, '9000'],
      [SELECT_CARD_ID, '9000'],
      [READ_RECORD_1, `3011${ascii('AB1234567890123XY')}9000`],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    expect(await readManufactureNumber(card)).toBe('1234567890123');
    t.done();
  });

  it('a record value shorter than 15 characters, or not printable ASCII there, is a card error', () => {
    expect(() => manufactureNumberOf(Buffer.from('AB123'))).toThrow(expect.objectContaining({ code: 'ERR_JPKI_CARD_ERROR' }));
    expect(() => manufactureNumberOf(Buffer.from('AB123456789012\u00e9', 'latin1'))).toThrow(/printable ASCII/);
    expect(manufactureNumberOf(Buffer.from('xx0123456789ABC'))).toBe('0123456789ABC');
  });

  it('a card without the application (6A 82) is a card error that names it', async () => {
    const t = scripted([
      [SELECT_JPKI, '9000'],
      [SELECT_CARD_ID, '6a82'],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    await expect(readManufactureNumber(card)).rejects.toMatchObject({ code: 'ERR_JPKI_CARD_ERROR', message: expect.stringContaining('card-ID') });
  });

  it('reads the virtual card’s manufacture number, and the JPKI applet is selected again before its next EF', async () => {
    const { card, sent } = await onVirtualCard();
    expect(await readManufactureNumber(card)).toBe(state.cardId.manufactureNumber);
    sent.length = 0;
    expect(await card.retries('auth')).toBe(3);
    expect(sent).toEqual([SELECT_JPKI, selectEf('0018'), '00200080']);
  });
});

describe('text application', () => {
  it('retry counter, VERIFY and EF 0002 in jpki/myna’s APDUs: 7 header bytes, then exactly the rest', async () => {
    const value = Buffer.concat([
      Buffer.from('df2103000000', 'hex'),
      Buffer.from([0xdf, 0x22, 6]),
      Buffer.from('山田', 'utf8'),
      Buffer.from([0xdf, 0x23, 9]),
      Buffer.from('東京都', 'utf8'),
      Buffer.from([0xdf, 0x24, 8]),
      Buffer.from('19850401'),
      Buffer.from([0xdf, 0x25, 1]),
      Buffer.from('1'),
    ]);
    const ef = Buffer.concat([Buffer.from([0xff, 0x20, value.length]), value]);
    const t = scripted([
      [SELECT_JPKI, '9000'],
      [SELECT_TEXT, '9000'],
      [selectEf('0011'), '9000'],
      ['00200080', '63c3'],
      [verifyApdu('1234'), '9000'],
      [selectEf('0002'), '9000'],
      ['00b0000007', `${ef.subarray(0, 7).toString('hex')}9000`],
      [`00b00007${(ef.length - 7).toString(16).padStart(2, '0')}`, `${ef.subarray(7).toString('hex')}9000`],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    const text = await TextApp.open(card);
    expect(await text.retries()).toBe(3);
    await text.verify(pin('1234'));
    expect(card.verifyAttempted).toBe(true);
    expect(await text.readAttributes()).toEqual({ name: '山田', address: '東京都', birthday: '19850401', sex: '1' });
    t.done();
  });

  it('a wrong text PIN is PIN_INCORRECT with the tries left; 63 C0 and 69 84 are PIN_LOCKED; locked reads 0 tries', async () => {
    const t = scripted([
      [SELECT_JPKI, '9000'],
      [SELECT_TEXT, '9000'],
      [selectEf('0011'), '9000'],
      [verifyApdu('0000'), '63c2'],
      [verifyApdu('0000'), '63c0'],
      [verifyApdu('1234'), '6984'],
      ['00200080', '6984'],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    const text = await TextApp.open(card);
    await expect(text.verify(pin('0000'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 });
    await expect(text.verify(pin('0000'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    await expect(text.verify(pin('1234'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(await text.retries()).toBe(0);
    t.done();
  });

  it('a malformed text PIN never reaches the card (no APDU at all)', async () => {
    const t = scripted([
      [SELECT_JPKI, '9000'],
      [SELECT_TEXT, '9000'],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    const text = await TextApp.open(card);
    for (const bad of ['123', '12345', '12a4', '１２３４', '']) {
      await expect(text.verify(pin(bad))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_FORMAT' });
    }
    expect(card.verifyAttempted).toBe(false);
    t.done();
  });

  it('a card without the text application (6A 82) is a card error that names it', async () => {
    const t = scripted([
      [SELECT_JPKI, '9000'],
      [SELECT_TEXT, '6a82'],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    await expect(TextApp.open(card)).rejects.toMatchObject({ code: 'ERR_JPKI_CARD_ERROR', message: expect.stringContaining('text application') });
  });

  it('on the virtual card: tries, VERIFY with the default 1234, the persona’s four items', async () => {
    const { card } = await onVirtualCard();
    const text = await TextApp.open(card);
    expect(await text.retries()).toBe(3);
    await text.verify(pin('1234'));
    expect(await text.readAttributes()).toEqual({ name: '試験 花子', address: '大阪府大阪市北区中之島1-3-20', birthday: '19900228', sex: '2' });
  });

  it('reading EF 0002 before VERIFY is a card error saying the text PIN is needed', async () => {
    const { card } = await onVirtualCard();
    const text = await TextApp.open(card);
    await expect(text.readAttributes()).rejects.toMatchObject({ code: 'ERR_JPKI_CARD_ERROR', message: expect.stringContaining('text PIN') });
  });

  it('an address over 255 bytes is read in chunks and whole', async () => {
    const long = structuredClone(state);
    long.persona.address = '北海道札幌市'.repeat(20); // 360 bytes
    const { card, sent } = await onVirtualCard(long);
    const text = await TextApp.open(card);
    await text.verify(pin('1234'));
    expect((await text.readAttributes()).address).toBe(long.persona.address);
    expect(sent.filter((c) => c.startsWith('00b0')).length).toBe(3);
  });

  it('after the JPKI applet was used in between, the text application is selected again by itself', async () => {
    const { card, sent } = await onVirtualCard();
    const text = await TextApp.open(card);
    await text.verify(pin('1234'));
    expect(await card.retries('auth')).toBe(3);
    sent.length = 0;
    expect((await text.readAttributes()).sex).toBe('2');
    expect(sent.slice(0, 2)).toEqual([SELECT_TEXT, selectEf('0002')]);
  });

  it('a full mode-04-like run sends no SELECT of EF 0001 and no READ but of EF 0002 under the text application', async () => {
    const { card, sent } = await onVirtualCard();
    const text = await TextApp.open(card);
    await text.retries();
    await text.verify(pin('1234'));
    await text.readAttributes();
    await readManufactureNumber(card);
    let application = 'jpki';
    let ef = '';
    for (const command of sent) {
      if (command.startsWith('00a4040c')) application = command === SELECT_TEXT ? 'text' : command === SELECT_CARD_ID ? 'card-id' : 'jpki';
      else if (command.startsWith('00a4020c02')) ef = command.slice(10);
      if (application !== 'text') continue;
      expect(ef).not.toBe('0001');
      if (command.startsWith('00b0')) expect(ef).toBe('0002');
    }
    expect(sent).not.toContain(selectEf('0001'));
  });
});

describe('EF 0001 of the text application cannot be named by the host', () => {
  it('the text application module knows exactly EF 0011 and EF 0002', () => {
    expect(Object.values(TEXT_EF).sort()).toEqual(['0002', '0011']);
    const methods = Object.getOwnPropertyNames(TextApp.prototype)
      .filter((name) => name !== 'constructor')
      .sort();
    expect(methods).toEqual(['changePin', 'read', 'readAttributes', 'retries', 'select', 'selectApplication', 'transport', 'verify']);
  });

  it('no host or shared source outside the virtual card names FID 0001, except JPKI’s signing certificate', () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (relative(ROOT, path) !== join('native-host', 'src', 'virtual-card')) walk(path);
        } else if (/\.tsx?$/.test(entry.name)) {
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line) => {
              if (/['"`]0001['"`]|a4020c020001/i.test(line)) hits.push(`${relative(ROOT, path)}: ${line.trim()}`);
            });
        }
      }
    };
    for (const dir of ['native-host/src', 'shared/src', 'extension/src']) walk(join(ROOT, dir));
    expect(hits).toEqual(["shared/src/card.ts: signCertificate: '0001',"]);
  });
});
