/**
 * The portal commands (launchApp modes 01, 02, 04) in process: the installation uuid from the
 * config directory, the combination code read in the same exclusive hold as the card work, the
 * digest signed as it is, the card face's text behind the text PIN with every policy rule. The
 * same through pcscd: test/system/host-commands.test.ts; through Chromium: test/e2e/extension-portal.test.ts.
 */
import { constants, createHash, publicDecrypt, randomBytes, X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTALLATION_UUID_FILE } from '../../native-host/src/portal/installation-uuid.ts';
import { rig } from './host-command-rig.ts';

const ORIGIN = 'https://myna.go.jp';
const SALT = Buffer.from('2e71f6620bc654ced494e5ec34fe03c8', 'hex');
const CARD_ID_SELECT = '00a4040c0ad3921000310001010100';
const CARD_ID_READ = '00b2010c00';
const TEXT_AP_SELECT = '00a4040c0ad3921000310001010408';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const login = (digest: string, pin = '1234', extra = {}) => ({ origin: ORIGIN, digest, pin, ...extra });
const text = (pin: string, extra = {}) => ({ origin: ORIGIN, pin, ...extra });
/** The test's own combination code: SHA-256(salt ‖ manufacture number as ASCII ‖ the uuid's 16 bytes). */
const expectedCode = (manufactureNumber: string, uuid: string) =>
  createHash('sha256').update(SALT).update(Buffer.from(manufactureNumber, 'ascii')).update(Buffer.from(uuid, 'hex')).digest('hex');
const recover = (certificate: string, signature: string) =>
  publicDecrypt(
    { key: new X509Certificate(Buffer.from(certificate, 'base64')).publicKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(signature, 'base64'),
  );

describe('uuid and combination code', () => {
  it('portal-login answers the uuid kept in the config directory (made on first use, 0600) and the combination code of this card and uuid', async () => {
    const r = await rig();
    const { result } = await r.run('portal-login', login(b64(randomBytes(32))));
    const kept = (await readFile(join(r.configDir, INSTALLATION_UUID_FILE), 'utf8')).trim();
    expect(result.uuid).toBe(kept);
    expect((await stat(join(r.configDir, INSTALLATION_UUID_FILE))).mode & 0o777).toBe(0o600);
    expect(result.combinationCode).toBe(expectedCode(r.state.cardId.manufactureNumber, kept));
  });

  it('the raw manufacture number is in no answer of any portal command', async () => {
    const r = await rig();
    const answers = [
      await r.run('portal-login', login(b64(randomBytes(32)))),
      await r.run('portal-sign', { origin: ORIGIN, digests: [b64(randomBytes(51))], pin: 'ABC123' }),
      await r.run('portal-text', text('1234')),
    ];
    for (const answer of answers) {
      expect(answer.result).toBeDefined();
      expect(JSON.stringify(answer)).not.toContain(r.state.cardId.manufactureNumber);
    }
  });

  it.each([
    ['portal-login', '802a', login(b64(randomBytes(32)))],
    ['portal-sign', '802a', { origin: ORIGIN, digests: [b64(randomBytes(32)), b64(randomBytes(32))], pin: 'ABC123' }],
    ['portal-text', '00b0', text('1234')],
  ])('%s reads the manufacture number in the same exclusive hold, after the card work', async (command, work, args) => {
    const r = await rig();
    expect((await r.run(command, args)).result).toBeDefined();
    expect(r.holds).toHaveLength(1);
    const [hold] = r.holds;
    const lastWork = hold!.map((apdu) => apdu.startsWith(work)).lastIndexOf(true);
    expect(lastWork).toBeGreaterThanOrEqual(0);
    expect(hold!.slice(lastWork + 1)).toEqual([CARD_ID_SELECT, CARD_ID_READ]);
  });

  it('is the same across calls and modes on one card, and differs on another card and for another installation', async () => {
    const first = await rig();
    const codes = [
      (await first.run('portal-login', login(b64(randomBytes(32))))).result.combinationCode,
      (await first.run('portal-sign', { origin: ORIGIN, digests: [b64(randomBytes(32))], pin: 'ABC123' })).result.combinationCode,
      (await first.run('portal-text', text('1234'))).result.combinationCode,
    ];
    expect(new Set(codes).size).toBe(1);
    const otherCard = await rig('adult', { configDir: first.configDir, adjust: (s) => void (s.cardId.manufactureNumber = 'AB12CD34EF567') });
    const otherCode = (await otherCard.run('portal-login', login(b64(randomBytes(32))))).result;
    expect(otherCode.uuid).toBe((await first.run('portal-text', text('1234'))).result.uuid);
    expect(otherCode.combinationCode).not.toBe(codes[0]);
    const otherInstallation = await rig('adult', { state: first.state });
    const elsewhere = (await otherInstallation.run('portal-text', text('1234'))).result;
    expect(elsewhere.uuid).not.toBe(otherCode.uuid);
    expect(elsewhere.combinationCode).toBe(expectedCode(first.state.cardId.manufactureNumber, elsewhere.uuid));
    expect(elsewhere.combinationCode).not.toBe(codes[0]);
  });

  it('a damaged uuid file fails before any card contact, so it never costs a try', async () => {
    const r = await rig();
    await writeFile(join(r.configDir, INSTALLATION_UUID_FILE), 'damaged\n');
    for (const [command, args] of [
      ['portal-login', login(b64(randomBytes(32)))],
      ['portal-text', text('1234')],
    ] as const) {
      expect((await r.run(command, args)).error).toMatchObject({ code: 'ERR_JPKI_UNKNOWN' });
    }
    expect(r.trace).toEqual([]);
  });
});

describe('the digest goes to the card as it is', () => {
  it.each([1, 20, 32, 51, 245])('portal-login signs %i arbitrary bytes, and the signature opens to exactly them', async (length) => {
    const r = await rig();
    const data = randomBytes(length);
    const { result } = await r.run('portal-login', login(b64(data)));
    expect(result.certificate).toBe(r.state.auth.certificate);
    expect(recover(result.certificate, result.signature)).toEqual(data);
  });

  it('portal-sign signs each arbitrary digest with the signing key', async () => {
    const r = await rig();
    const data = [randomBytes(32), randomBytes(83)];
    const { result } = await r.run('portal-sign', { origin: ORIGIN, digests: data.map(b64), pin: 'ABC123' });
    expect(result.certificate).toBe(r.state.sign!.certificate);
    expect(result.signatures.map((signature: string) => recover(result.certificate, signature))).toEqual(data);
  });

  it.each([
    ['no bytes', ''],
    ['246 bytes, more than the card pads', b64(new Uint8Array(246))],
  ])('a digest of %s is INVALID_HASH before any card contact', async (_what, digest) => {
    const r = await rig();
    expect((await r.run('portal-login', login(digest))).error).toMatchObject({ code: 'ERR_JPKI_INVALID_HASH' });
    expect((await r.run('portal-sign', { origin: ORIGIN, digests: [digest], pin: 'ABC123' })).error).toMatchObject({ code: 'ERR_JPKI_INVALID_HASH' });
    expect(r.trace).toEqual([]);
  });
});

describe('portal-text (券面事項入力補助)', () => {
  it('answers the persona’s name, address, date of birth (YYYYMMDD) and sex as the card holds them', async () => {
    const r = await rig();
    const { result } = await r.run('portal-text', text('1234'));
    const { persona } = r.state;
    expect(result).toEqual({
      name: persona.name,
      address: persona.address,
      birthday: persona.birth.replaceAll('-', ''),
      sex: persona.sex,
      uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
      combinationCode: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('selects nothing under the text application but EF 0011 and EF 0002 (never the My Number, EF 0001)', async () => {
    const r = await rig();
    await r.run('portal-text', text('1234'));
    const afterText = r.trace.slice(r.trace.indexOf(TEXT_AP_SELECT) + 1, r.trace.indexOf(CARD_ID_SELECT));
    expect(afterText.filter((apdu) => apdu.startsWith('00a4'))).toEqual(['00a4020c020011', '00a4020c020002']);
    expect(r.trace).not.toContain('00a4020c020001');
  });

  it.each(['123', '12345', '12a4', '', 'ABC123', '１２３４', ' 1234'])('a malformed text PIN %j is PIN_FORMAT and no APDU is sent', async (pin) => {
    const r = await rig();
    expect((await r.run('portal-text', text(pin))).error).toMatchObject({ code: 'ERR_JPKI_PIN_FORMAT' });
    expect(r.trace).toEqual([]);
  });

  it('wrong PINs show the tries left, the last needs confirmation, the third locks it, and the lock survives a restart', async () => {
    const r = await rig();
    expect((await r.run('portal-text', text('9999'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 });
    expect((await r.run('portal-text', text('9998'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 1 });
    expect((await r.run('status', {})).result.card.retries).toEqual({ auth: 3, sign: 5, text: 1 });
    expect((await r.run('portal-text', text('1234'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LAST_TRY', retriesLeft: 1 });
    expect(r.verifies()).toHaveLength(2);
    expect((await r.run('portal-text', text('9997', { confirmLastTry: true }))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(r.verifies()).toHaveLength(3);
    // A restart: a new card object over the same persisted state.
    const restarted = await rig('adult', { state: r.state });
    expect((await restarted.run('portal-text', text('1234', { confirmLastTry: true }))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED', retriesLeft: 0 });
    expect(restarted.verifies()).toEqual([]);
    // Its own counter: the authentication PIN is untouched.
    expect((await restarted.run('status', {})).result.card.retries).toEqual({ auth: 3, sign: 5, text: 0 });
    expect((await restarted.run('portal-login', login(b64(randomBytes(32))))).result).toBeDefined();
  });

  it('a right PIN after a miss restores the tries', async () => {
    const r = await rig();
    await r.run('portal-text', text('9999'));
    expect((await r.run('portal-text', text('1234'))).result).toBeDefined();
    expect(r.state.pins.text.retriesLeft).toBe(3);
  });

  it('change-pin with kind "text" changes the text PIN (4 digits only), and then only the new one opens the card face', async () => {
    const r = await rig();
    expect((await r.run('change-pin', { kind: 'text', pin: '1234', newPin: 'ABC123' })).error).toMatchObject({ code: 'ERR_JPKI_PIN_FORMAT' });
    expect(r.trace).toEqual([]);
    expect((await r.run('change-pin', { kind: 'text', pin: '1234', newPin: '5678' })).result).toEqual({});
    expect((await r.run('portal-text', text('1234'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 });
    expect((await r.run('portal-text', text('5678'))).result).toBeDefined();
    expect((await r.run('authenticate', { origin: ORIGIN, challengeNonce: b64(new Uint8Array(32)), pin: '1234' })).result).toBeDefined(); // the auth PIN stays
  });
});
