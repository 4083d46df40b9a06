/**
 * The card-ID and text applications through the real PC/SC stack — pcscd + vpcd + pcsclite,
 * `virtual-card serve` as its own process — both as raw APDUs and through the host's card layer
 * on a PC/SC connection; and the host working with each ATR `virtual-card create --atr` offers.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../native-host/src/card/apdu.ts';
import { readManufactureNumber } from '../../native-host/src/card/card-id-app.ts';
import { JpkiCard } from '../../native-host/src/card/jpki-card.ts';
import { TextApp } from '../../native-host/src/card/text-app.ts';
import { combinationCode, readCombinationCode } from '../../native-host/src/portal/combination-code.ts';
import { ATRS, ATR_CHOICES, type AtrChoice } from '../../native-host/src/virtual-card/atr.ts';
import { jpkiBridge } from '../../tools/dev/host-cli.ts';
import { type CardConnection, withPcsc } from '../../tools/dev/pcsc-client.ts';
import { settle, spawnHost, type HostProcess } from '../harness/host.ts';
import { READ_RECORD_1, SELECT_CARD_ID, SELECT_JPKI, SELECT_TEXT, selectEf, verifyApdu } from '../harness/raw-apdus.ts';
import { holdVirtualReaders } from '../harness/virtual-readers.ts';

const pinBytes = (pin: string) => Uint8Array.from(Buffer.from(pin, 'ascii'));

const readers = holdVirtualReaders();
let dir: string;
let host: HostProcess | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jpki-vc-apps-'));
});
afterEach(() => {
  host?.kill();
  host = null;
});

let count = 0;
/** `virtual-card create` with the real CLI, then `serve`; returns the state as created. */
async function serve(options: { atr?: AtrChoice; name?: string; address?: string; birth?: string; sex?: string } = {}) {
  const stateFile = join(dir, `card-${++count}.json`);
  const args = ['virtual-card', 'create', '--state', stateFile];
  for (const [key, value] of Object.entries(options)) if (value !== undefined) args.push(`--${key}`, value);
  await jpkiBridge(args);
  const state = JSON.parse(await readFile(stateFile, 'utf8'));
  return { ...(await readers.serve({ stateFile })), state };
}

/** The host's card layer on a PC/SC connection of the test (the same bytes a host would send). */
async function cardLayer(connection: CardConnection): Promise<JpkiCard> {
  const card = new JpkiCard({ transmit: (apdu) => connection.transmitBytes(apdu) });
  await card.selectAp();
  return card;
}

/** The ATR PC/SC reports for the card in `readerName`. */
function atrInReader(readerName: string): Promise<string> {
  return withPcsc(async (client) => {
    await client.waitFor(`an ATR in ${readerName}`, () => client.atr(readerName) !== undefined);
    return client.atr(readerName)!;
  });
}

describe('card-ID application through pcscd + vpcd', () => {
  it('SELECT + READ RECORD 00 B2 01 0C 00 give the manufacture number at [2, 15); the card layer reads the same', async () => {
    const { card, state } = await serve();
    expect(await card.transmit(SELECT_CARD_ID)).toBe('9000');
    const response = await card.transmit(READ_RECORD_1);
    expect(response.slice(-4)).toBe('9000');
    const value = Buffer.from(response.slice(4, -4), 'hex').toString('ascii'); // after tag 30 and a short length
    expect(value.slice(2, 15)).toBe(state.cardId.manufactureNumber);
    const layer = await cardLayer(card);
    expect(await readManufactureNumber(layer)).toBe(state.cardId.manufactureNumber);
    expect(await readCombinationCode(layer, '00112233445566778899aabbccddeeff')).toBe(
      combinationCode(state.cardId.manufactureNumber, '00112233445566778899aabbccddeeff'),
    );
  });

  it('another card has another manufacture number, and so another combination code', async () => {
    const uuid = 'ffeeddccbbaa99887766554433221100';
    const first = await serve();
    const one = await readCombinationCode(await cardLayer(first.card), uuid);
    await first.served.stop();
    const second = await serve();
    expect(second.state.cardId.manufactureNumber).not.toBe(first.state.cardId.manufactureNumber);
    expect(await readCombinationCode(await cardLayer(second.card), uuid)).not.toBe(one);
  });
});

describe('text application through pcscd + vpcd', () => {
  it('the text PIN opens EF 0002; the card layer reads name, address, birth date and sex', async () => {
    const { card } = await serve({ name: '試験 花子', address: '大阪府大阪市北区中之島1-3-20', birth: '1990-02-28', sex: '2' });
    expect(await card.transmit(SELECT_TEXT)).toBe('9000');
    expect(await card.transmit(selectEf('0011'))).toBe('9000');
    expect(await card.transmit('00200080')).toBe('63c3');
    expect(await card.transmit(selectEf('0002'))).toBe('9000');
    expect(await card.transmit('00b0000007')).toBe('6982');
    const text = await TextApp.open(await cardLayer(card));
    expect(await text.retries()).toBe(3);
    await text.verify(pinBytes('1234'));
    expect(await text.readAttributes()).toEqual({ name: '試験 花子', address: '大阪府大阪市北区中之島1-3-20', birthday: '19900228', sex: '2' });
  });

  it('a wrong text PIN shows the tries left, the 3rd locks it, the trace masks every PIN and never selects EF 0001', async () => {
    const { card, served } = await serve();
    const text = await TextApp.open(await cardLayer(card));
    await expect(text.verify(pinBytes('0000'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 });
    await expect(text.verify(pinBytes('0000'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 1 });
    await expect(text.verify(pinBytes('0000'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    await expect(text.verify(pinBytes('1234'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(await text.retries()).toBe(0);
    const commands = await served.traceCommands();
    expect(commands.filter((c) => c.startsWith('0020008004'))).toEqual(Array(4).fill('0020008004********'));
    expect(commands.join('\n')).not.toContain(Buffer.from('0000').toString('hex'));
    expect(commands).not.toContain(selectEf('0001'));
    // The JPKI authentication PIN kept its own counter.
    expect(await card.transmit(SELECT_JPKI)).toBe('9000');
    expect(await card.transmit(selectEf('0018'))).toBe('9000');
    expect(await card.transmit('00200080')).toBe('63c3');
  });

  it('the lock survives a restart of serve; reset-pins clears it', async () => {
    const { card, served } = await serve();
    await card.transmit(SELECT_TEXT);
    await card.transmit(selectEf('0011'));
    for (const left of [2, 1, 0]) expect(await card.transmit(verifyApdu('0000'))).toBe(`63c${left}`);
    await served.pull();
    await served.insert();
    const again = await readers.client.connect(served.readerName);
    const text = await TextApp.open(await cardLayer(again));
    expect(await text.retries()).toBe(0);
    await expect(text.verify(pinBytes('1234'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    await served.pull();
    await jpkiBridge(['virtual-card', 'reset-pins', '--state', served.stateFile]);
    await served.insert();
    const reset = await TextApp.open(await cardLayer(await readers.client.connect(served.readerName)));
    expect(await reset.retries()).toBe(3);
    await reset.verify(pinBytes('1234'));
  });

  it('unknown AIDs still answer 6A 82', async () => {
    const { card } = await serve();
    expect(await card.transmit('00a4040c0ad3921000310001010402')).toBe('6a82');
    expect(await card.transmit('00a4040c07a0000000030000')).toBe('6a82');
  });
});

describe('each ATR through pcscd, with the host', () => {
  it.each(ATR_CHOICES)('the %s ATR reaches PC/SC as it is, and the host connects and runs status', async (atr) => {
    const { card, served } = await serve({ atr });
    expect(await atrInReader(served.readerName)).toBe(bytesToHex(ATRS[atr]));
    await card.disconnect();
    host = await spawnHost({ card: 'pcsc' });
    await settle(host);
    const { result } = await host.request('status', {});
    expect(result).toMatchObject({
      readers: expect.arrayContaining([expect.objectContaining({ name: served.readerName, cardPresent: true })]),
      card: { type: 'my-number-card', hasSigningCertificate: true, retries: { auth: 3, sign: 5 } },
    });
  });
});
