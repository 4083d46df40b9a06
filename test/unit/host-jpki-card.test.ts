/** The card layer against scripted APDU exchanges ({command} → {response}), libpcsc-mock style. */
import { describe, expect, it } from 'vitest';
import { scripted, type Step } from './scripted-transport.ts';
import { bytesToHex, hexToBytes } from '../../native-host/src/card/apdu.ts';
import { onlyJpkiCard } from '../../native-host/src/card/choose-card.ts';
import { JpkiCard } from '../../native-host/src/card/jpki-card.ts';

const SELECT_AP: Step = ['00a4040c0ad392f000260100000001', '9000'];

function certificate(total: number): Uint8Array {
  const der = new Uint8Array(total).fill(0xab);
  der.set([0x30, 0x82, ((total - 4) >> 8) & 0xff, (total - 4) & 0xff]);
  return der;
}

describe('JpkiCard', () => {
  it('SELECT of the JPKI applet answered 6A 82 is NOT_JPKI_CARD', async () => {
    const card = new JpkiCard(scripted([['00a4040c0ad392f000260100000001', '6a82']]));
    await expect(card.selectAp()).rejects.toMatchObject({ code: 'ERR_JPKI_NOT_JPKI_CARD' });
  });

  it('reading a 1500-byte certificate takes 6 READ BINARYs, the last one exactly as long as needed', async () => {
    const der = certificate(1500);
    const t = scripted([
      SELECT_AP,
      ['00a4020c02000a', '9000'],
      ['00b0000000', bytesToHex(der.subarray(0, 256)) + '9000'],
      ['00b0010000', bytesToHex(der.subarray(256, 512)) + '9000'],
      ['00b0020000', bytesToHex(der.subarray(512, 768)) + '9000'],
      ['00b0030000', bytesToHex(der.subarray(768, 1024)) + '9000'],
      ['00b0040000', bytesToHex(der.subarray(1024, 1280)) + '9000'],
      ['00b00500dc', bytesToHex(der.subarray(1280, 1500)) + '9000'],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    expect(await card.readCertificate('000A')).toEqual(der);
    t.done();
  });

  it('a certificate shorter than one read is cut at its own length', async () => {
    const der = certificate(100);
    const padded = bytesToHex(der) + 'ff'.repeat(156);
    const t = scripted([SELECT_AP, ['00a4020c020001', '9000'], ['00b0000000', padded + '9000']]);
    const card = new JpkiCard(t);
    await card.selectAp();
    expect(await card.readCertificate('0001')).toEqual(der);
    t.done();
  });

  it('6C xx re-sends the command with the right Le', async () => {
    const der = certificate(100);
    const t = scripted([SELECT_AP, ['00a4020c020001', '9000'], ['00b0000000', '6c64'], ['00b0000064', bytesToHex(der) + '9000']]);
    const card = new JpkiCard(t);
    await card.selectAp();
    expect(await card.readCertificate('0001')).toEqual(der);
    t.done();
  });

  it('6C xx to a VERIFY is never re-sent, so no second try is spent', async () => {
    // VERIFY has no Le: "re-sending with Le = xx" would overwrite the PIN's last byte and spend a
    // try on a PIN the user never typed. The scripted card fails the test on any further APDU.
    const t = scripted([SELECT_AP, ['00a4020c020018', '9000'], ['002000800431323334', '6c04']]);
    const card = new JpkiCard(t);
    await card.selectAp();
    await expect(card.verify('auth', new TextEncoder().encode('1234'))).rejects.toMatchObject({ code: 'ERR_JPKI_CARD_ERROR' });
    t.done();
  });

  it('6C xx to a SELECT EF is never re-sent, so no other key is selected', async () => {
    // SELECT EF 001A (signing key) answered 6C 17: re-sending "with Le" would SELECT EF 0017,
    // the authentication key, and sign with it.
    const digestInfo = '3031300d060960864801650304020105000420' + '11'.repeat(32);
    const t = scripted([SELECT_AP, ['00a4020c02001a', '6c17']]);
    const card = new JpkiCard(t);
    await card.selectAp();
    await expect(card.sign('sign', hexToBytes(digestInfo))).rejects.toMatchObject({ code: 'ERR_JPKI_CARD_ERROR' });
    t.done();
  });

  it('61 xx fetches the rest with GET RESPONSE', async () => {
    const signature = new Uint8Array(256).fill(0x5a);
    const digestInfo = '3031300d060960864801650304020105000420' + '11'.repeat(32);
    const t = scripted([
      SELECT_AP,
      ['00a4020c020017', '9000'],
      [`802a008033${digestInfo}00`, bytesToHex(signature.subarray(0, 200)) + '6138'],
      ['00c0000038', bytesToHex(signature.subarray(200)) + '9000'],
    ]);
    const card = new JpkiCard(t);
    await card.selectAp();
    expect(await card.sign('auth', hexToBytes(digestInfo))).toEqual(signature);
    t.done();
  });

  it('the retry counter and VERIFY share one SELECT', async () => {
    const t = scripted([SELECT_AP, ['00a4020c020018', '9000'], ['00200080', '63c3'], ['002000800431323334', '9000']]);
    const card = new JpkiCard(t);
    await card.selectAp();
    expect(await card.retries('auth')).toBe(3);
    await card.verify('auth', new TextEncoder().encode('1234'));
    expect(card.verifyAttempted).toBe(true);
    t.done();
  });

  it('VERIFY answered 63 C2 is PIN_INCORRECT with 2 tries left', async () => {
    const card = new JpkiCard(scripted([SELECT_AP, ['00a4020c02001b', '9000'], ['00200080064142433132ff', '63c2']]));
    await card.selectAp();
    await expect(card.verify('sign', Uint8Array.of(0x41, 0x42, 0x43, 0x31, 0x32, 0xff))).rejects.toMatchObject({
      code: 'ERR_JPKI_PIN_INCORRECT',
      retriesLeft: 2,
    });
  });

  it.each([['63c0'], ['6984'], ['6983']])('VERIFY answered %s is PIN_LOCKED', async (sw) => {
    const card = new JpkiCard(scripted([SELECT_AP, ['00a4020c020018', '9000'], ['002000800431323334', sw]]));
    await card.selectAp();
    await expect(card.verify('auth', new TextEncoder().encode('1234'))).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
  });

  it('a retry counter answered 69 84 is zero tries', async () => {
    const card = new JpkiCard(scripted([SELECT_AP, ['00a4020c020018', '9000'], ['00200080', '6984']]));
    await card.selectAp();
    expect(await card.retries('auth')).toBe(0);
  });

  it('availability reads EF 0008', async () => {
    const card = new JpkiCard(scripted([SELECT_AP, ['00a4020c020008', '9000'], ['00b0000003', '008f009000']]));
    await card.selectAp();
    expect(await card.availability()).toEqual({ sign: false, auth: true });
  });

  it('an unexpected status word is CARD_ERROR', async () => {
    const card = new JpkiCard(scripted([SELECT_AP, ['00a4020c020018', '6a82']]));
    await card.selectAp();
    await expect(card.retries('auth')).rejects.toMatchObject({ code: 'ERR_JPKI_CARD_ERROR' });
  });
});

describe('onlyJpkiCard (which card a command uses)', () => {
  const card = new JpkiCard({ transmit: async () => hexToBytes('9000') });
  const slot = (name: string, extra: Partial<{ cardPresent: boolean; card: JpkiCard | null; busy: boolean }>) => ({
    name,
    cardPresent: false,
    card: null,
    busy: false,
    ...extra,
  });
  it('no readers is NO_READER', () => expect(() => onlyJpkiCard([])).toThrow(expect.objectContaining({ code: 'ERR_JPKI_NO_READER' })));
  it('empty readers are NO_CARD', () => expect(() => onlyJpkiCard([slot('a', {})])).toThrow(expect.objectContaining({ code: 'ERR_JPKI_NO_CARD' })));
  it('another kind of card is NOT_JPKI_CARD', () =>
    expect(() => onlyJpkiCard([slot('a', { cardPresent: true })])).toThrow(expect.objectContaining({ code: 'ERR_JPKI_NOT_JPKI_CARD' })));
  it('a reader held by another process is CARD_BUSY', () =>
    expect(() => onlyJpkiCard([slot('a', { cardPresent: true, busy: true })])).toThrow(expect.objectContaining({ code: 'ERR_JPKI_CARD_BUSY' })));
  it('the one JPKI card among other cards is chosen', () =>
    expect(onlyJpkiCard([slot('a', { cardPresent: true }), slot('b', { cardPresent: true, card })])).toBe(card));
  it('two JPKI cards are CARD_ERROR naming both readers', () =>
    expect(() => onlyJpkiCard([slot('r1', { cardPresent: true, card }), slot('r2', { cardPresent: true, card })])).toThrow(
      expect.objectContaining({ code: 'ERR_JPKI_CARD_ERROR', message: expect.stringContaining('r1, r2') }),
    ));
});
