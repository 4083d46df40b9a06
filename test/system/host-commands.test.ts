/**
 * Every native command and the PIN policy, black-box: the real host process (PC/SC backend) →
 * pcscd → vpcd → the virtual card, with the card's own APDU trace as the witness of what reached
 * the card.
 */
import { constants, createHash, publicDecrypt, X509Certificate } from 'node:crypto';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import { VERSION } from '@jpki-bridge/shared/version';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { settle, spawnHost } from '../harness/host.ts';
import { createCardState, type ServedCard, serveCard } from '../../tools/dev/virtual-card.ts';

const ORIGIN = 'https://example.jp';
const NONCE = Buffer.alloc(32, 9).toString('base64');
const HASH = createHash('sha256').update('document').digest('base64');

let pcscd: { stop(): Promise<void> };
let dir: string;
const templates: Record<string, string> = {};
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  pcscd = await ensurePcscd();
  dir = await mkdtemp(join(tmpdir(), 'jpki-host-system-'));
  for (const persona of ['adult', 'minor', 'expired'] as const) templates[persona] = await createCardState({ persona, dir });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await pcscd?.stop();
});

let counter = 0;
/** A fresh copy of a persona's card in reader 00 00, and a host talking PC/SC. */
async function setup(persona: 'adult' | 'minor' | 'expired' = 'adult', edit?: (state: any) => void) {
  const stateFile = join(dir, `card-${persona}-${++counter}.json`);
  await copyFile(templates[persona]!, stateFile);
  if (edit) {
    const state = JSON.parse(await readFile(stateFile, 'utf8'));
    edit(state);
    await (await import('node:fs/promises')).writeFile(stateFile, JSON.stringify(state));
  }
  const card = await serveCard({ stateFile });
  cleanups.push(() => card.stop());
  const host = await spawnHost({ card: 'pcsc' });
  cleanups.push(() => host.kill());
  // serveCard can return a moment before PC/SC really has the card: wait until the host sees it,
  // then only count the APDUs that come after (the trace is the witness of each test's command).
  await settle(host);
  const base = (await card.traceCommands()).length;
  const commands = async () => (await card.traceCommands()).slice(base);
  const state = JSON.parse(await readFile(stateFile, 'utf8'));
  return { card: { traceCommands: commands }, served: card, host, state, stateFile };
}

type Trace = Pick<ServedCard, 'traceCommands'>;
const verifies = async (card: Trace) => (await card.traceCommands()).filter((c) => c.startsWith('00200080') && c.length > 8);
const signs = async (card: Trace) => (await card.traceCommands()).filter((c) => c.startsWith('802a'));
const auth = (pin: string, extra = {}) => ({ origin: ORIGIN, challengeNonce: NONCE, pin, ...extra });
const signArgs = (pin: string, extra = {}) => ({ origin: ORIGIN, hashes: [HASH], hashFunction: 'SHA-256', pin, ...extra });
const recover = (certificate: string, signature: string) =>
  publicDecrypt(
    { key: new X509Certificate(Buffer.from(certificate, 'base64')).publicKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(signature, 'base64'),
  );

describe('every command through pcscd', () => {
  it('says hello, then status lists both virtual readers and the card in reader 00 00', async () => {
    const { host } = await setup();
    expect(host.hello).toEqual({ type: 'hello', version: VERSION, protocol: 1 });
    const { result } = await host.request('status', {});
    expect(result).toMatchObject({
      version: VERSION,
      readers: expect.arrayContaining([
        expect.objectContaining({ name: 'Virtual PCD 00 00', cardPresent: true }),
        expect.objectContaining({ name: 'Virtual PCD 00 01', cardPresent: false }),
      ]),
      card: { type: 'my-number-card', hasSigningCertificate: true, retries: { auth: 3, sign: 5 } },
    });
  });

  it('authenticate signs the labelled login block over the origin and nonce hashes, with a certificate of the dev CA', async () => {
    const { host, state, card } = await setup();
    const reply = await host.request('authenticate', auth('1234'));
    const { result } = reply;
    expect(result, JSON.stringify(reply)).toMatchObject({
      format: AUTH_TOKEN_FORMAT,
      algorithm: AUTH_TOKEN_ALGORITHM,
      appVersion: expect.stringContaining(`/${VERSION}`),
    });
    const certificate = new X509Certificate(Buffer.from(result!.unverifiedCertificate as string, 'base64'));
    const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();
    const block = buildAuthBlock(sha256(Buffer.concat([sha256(ORIGIN), sha256(NONCE)])));
    expect(recover(result!.unverifiedCertificate as string, result!.signature as string)).toEqual(Buffer.from(block));
    expect(certificate.verify(new X509Certificate(Buffer.from(state.ca.auth.certificate, 'base64')).publicKey)).toBe(true);
    expect((await card.traceCommands()).length).toBeLessThanOrEqual(13);
  });

  it('sign signs two hashes with the signing key after one VERIFY', async () => {
    const { host, card } = await setup();
    const hashes = [HASH, createHash('sha256').update('2').digest('base64')];
    const { result } = await host.request('sign', signArgs('abc123', { hashes }));
    expect((result!.signatures as string[]).map((s) => recover(result!.certificate as string, s).toString('hex'))).toEqual(
      hashes.map((h) => Buffer.from(buildDigestInfo('SHA-256', Buffer.from(h, 'base64'))).toString('hex')),
    );
    expect(await verifies(card)).toHaveLength(1);
  });

  it('get-signing-certificate, portal-login, portal-sign and change-pin each do their job through the card', async () => {
    const { host, state } = await setup();
    expect((await host.request('get-signing-certificate', { origin: ORIGIN, pin: 'ABC123' })).result).toEqual({ certificate: state.sign.certificate });
    const digest = Buffer.from(buildDigestInfo('SHA-256', Buffer.alloc(32, 3))).toString('base64');
    const login = (await host.request('portal-login', { origin: ORIGIN, digest, pin: '1234' })).result!;
    expect(recover(login.certificate as string, login.signature as string).toString('base64')).toBe(digest);
    expect(login.certificate).toBe(state.auth.certificate);
    const portal = (await host.request('portal-sign', { origin: ORIGIN, digests: [digest, digest], pin: 'ABC123' })).result!;
    expect(portal.certificate).toBe(state.sign.certificate);
    expect((portal.signatures as string[]).map((s) => recover(portal.certificate as string, s).toString('base64'))).toEqual([digest, digest]);
    expect((await host.request('change-pin', { kind: 'auth', pin: '1234', newPin: '2580' })).result).toEqual({});
    expect((await host.request('authenticate', auth('2580'))).result).toBeDefined();
    expect((await host.request('change-pin', { kind: 'sign', pin: 'ABC123', newPin: 'X9Y8Z7' })).result).toEqual({});
    expect((await host.request('sign', signArgs('x9y8z7'))).result).toBeDefined();
  });
});

describe('the PIN policy through pcscd', () => {
  const FORMAT_CASES: [string, string][] = [
    ['authenticate', '123'],
    ['authenticate', '12345'],
    ['authenticate', '12ab'],
    ['sign', 'AB123'],
    ['sign', 'ABCDEFGHIJ1234567'],
    ['sign', 'ABCDEFG'],
    ['sign', '1234567'],
    ['sign', 'ABC!23'],
    ['sign', '1234'],
    ['authenticate', 'ABC123'],
  ];
  it('every malformed PIN is ERR_JPKI_PIN_FORMAT and the card sees no APDU at all', async () => {
    const { host, card } = await setup();
    for (const [command, pin] of FORMAT_CASES) {
      const reply = await host.request(command, command === 'sign' ? signArgs(pin) : auth(pin));
      expect(reply.error?.code, `${command} ${pin}`).toBe('ERR_JPKI_PIN_FORMAT');
    }
    expect(await card.traceCommands()).toEqual([]);
  });

  it('the last try is refused without confirmLastTry, before any VERIFY, and works with it', async () => {
    const { host, card } = await setup('adult', (s) => void (s.pins.auth.retriesLeft = 1));
    expect((await host.request('authenticate', auth('1234'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LAST_TRY', retriesLeft: 1 });
    expect(await verifies(card)).toEqual([]);
    expect((await host.request('authenticate', auth('1234', { confirmLastTry: true }))).result).toBeDefined();
  });

  it('a locked PIN is ERR_JPKI_PIN_LOCKED without a VERIFY', async () => {
    const { host, card } = await setup('adult', (s) => void (s.pins.sign.retriesLeft = 0));
    expect((await host.request('sign', signArgs('ABC123', { confirmLastTry: true }))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(await verifies(card)).toEqual([]);
  });

  it('a wrong PIN counts the tries down, asks to confirm the last, then locks; a locked PIN sends no VERIFY', async () => {
    const { host, card } = await setup();
    expect((await host.request('authenticate', auth('0000'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 });
    expect((await host.request('authenticate', auth('0000'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 1 });
    expect((await host.request('authenticate', auth('0000'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LAST_TRY' });
    const last = await host.request('authenticate', auth('0000', { confirmLastTry: true }));
    expect(last.error?.code).toBe('ERR_JPKI_PIN_LOCKED'); // the miss that reaches 0 answers 63 C0: locked, not "incorrect, 0 left"
    expect(await verifies(card)).toHaveLength(3);
    expect((await host.request('authenticate', auth('1234', { confirmLastTry: true }))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(await verifies(card)).toHaveLength(3); // locked: refused from the counter, no 4th VERIFY
  });

  it('a minor has no signing certificate: sign is refused before any VERIFY', async () => {
    const { host, card } = await setup('minor');
    expect((await host.request('sign', signArgs('ABC123'))).error).toMatchObject({ code: 'ERR_JPKI_NO_SIGNING_CERTIFICATE' });
    expect(await verifies(card)).toEqual([]);
    expect((await host.request('status', {})).result).toMatchObject({ card: { hasSigningCertificate: false } });
  });

  it('an expired card is refused before the VERIFY (authenticate) and before the signature (sign)', async () => {
    const { host, card } = await setup('expired');
    expect((await host.request('authenticate', auth('1234'))).error).toMatchObject({ code: 'ERR_JPKI_CERTIFICATE_EXPIRED' });
    expect(await verifies(card)).toEqual([]);
    expect((await host.request('sign', signArgs('ABC123'))).error).toMatchObject({ code: 'ERR_JPKI_CERTIFICATE_EXPIRED' });
    expect(await signs(card)).toEqual([]);
  });

  it('sign with a certificate that is not the card’s is ERR_JPKI_CERTIFICATE_MISMATCH and sends no signature APDU', async () => {
    const { host, card } = await setup();
    const other = JSON.parse(await readFile(templates.expired!, 'utf8')).sign.certificate;
    const mm = await host.request('sign', signArgs('ABC123', { certificate: other }));
    expect(mm.error?.code, JSON.stringify(mm) + host.stderr()).toBe('ERR_JPKI_CERTIFICATE_MISMATCH');
    expect(await signs(card)).toEqual([]);
  });

  it('change-pin checks the format of both PINs before the card is touched', async () => {
    const { host, card } = await setup();
    for (const args of [
      { kind: 'auth', pin: '1234', newPin: '123' },
      { kind: 'auth', pin: 'abcd', newPin: '1234' },
      { kind: 'sign', pin: 'ABC123', newPin: 'ABCDEF' },
      { kind: 'sign', pin: 'ABC123', newPin: '12345678901234567' },
    ]) {
      expect((await host.request('change-pin', args)).error).toMatchObject({ code: 'ERR_JPKI_PIN_FORMAT' });
    }
    expect(await card.traceCommands()).toEqual([]);
  });
});

describe('the portal commands through pcscd', () => {
  const SALT = Buffer.from('2e71f6620bc654ced494e5ec34fe03c8', 'hex');
  const code = (manufactureNumber: string, uuid: string) =>
    createHash('sha256').update(SALT).update(Buffer.from(manufactureNumber, 'ascii')).update(Buffer.from(uuid, 'hex')).digest('hex');
  const text = (pin: string, extra = {}) => ({ origin: ORIGIN, pin, ...extra });
  const CARD_ID = ['00a4040c0ad3921000310001010100', '00b2010c00'];

  it('modes 01, 02 and 04 answer the uuid of XDG_CONFIG_HOME and this card’s combination code, read after the card work', async () => {
    const { host, card, state } = await setup();
    const configHome = await mkdtemp(join(tmpdir(), 'jpki-host-xdg-'));
    const own = await spawnHost({ card: 'pcsc', env: { ...process.env, XDG_CONFIG_HOME: configHome } });
    cleanups.push(() => own.kill());
    host.kill();
    const digest = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
    const answers = [
      (await own.request('portal-login', { origin: ORIGIN, digest, pin: '1234' })).result!,
      (await own.request('portal-sign', { origin: ORIGIN, digests: [digest], pin: 'ABC123' })).result!,
      (await own.request('portal-text', text('1234'))).result!,
    ];
    const uuid = (await readFile(join(configHome, 'jpki-bridge', 'installation-uuid'), 'utf8')).trim();
    for (const answer of answers) expect(answer).toMatchObject({ uuid, combinationCode: code(state.cardId.manufactureNumber, uuid) });
    expect(JSON.stringify(answers)).not.toContain(state.cardId.manufactureNumber);
    expect(recover(answers[0]!.certificate as string, answers[0]!.signature as string).toString('base64')).toBe(digest);
    expect(answers[2]).toMatchObject({
      name: state.persona.name,
      address: state.persona.address,
      birthday: state.persona.birth.replaceAll('-', ''),
      sex: state.persona.sex,
    });
    // Each card-ID read comes right after that command's last card work (one hold: the host resets only at its end).
    const trace = await card.traceCommands();
    const ends = trace.flatMap((apdu, i) => (apdu === CARD_ID[0] ? [i] : []));
    expect(ends).toHaveLength(3);
    for (const at of ends) expect(trace.slice(at, at + 2)).toEqual(CARD_ID);
    expect(trace[ends[0]! - 1]).toMatch(/^802a/);
    expect(trace[ends[2]! - 1]).toMatch(/^00b0/);
  });

  it('the text PIN: a malformed one never reaches the card, a wrong one shows the tries left, three lock it, and the lock survives a restart', async () => {
    const { host, card, served, stateFile } = await setup();
    for (const pin of ['123', '12345', '12a4', 'ABC123', '']) {
      expect((await host.request('portal-text', text(pin))).error?.code, pin).toBe('ERR_JPKI_PIN_FORMAT');
    }
    expect(await card.traceCommands()).toEqual([]);
    expect((await host.request('portal-text', text('0000'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 });
    expect((await host.request('portal-text', text('0001'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 1 });
    expect((await host.request('status', {})).result).toMatchObject({ card: { retries: { auth: 3, sign: 5, text: 1 } } });
    expect((await host.request('portal-text', text('1234'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LAST_TRY', retriesLeft: 1 });
    expect((await host.request('portal-text', text('0002', { confirmLastTry: true }))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(await verifies(card)).toHaveLength(3);
    // Restart: the card served again from its state file, a new host.
    host.kill();
    await served.stop();
    const restarted = await serveCard({ stateFile });
    cleanups.push(() => restarted.stop());
    const again = await spawnHost({ card: 'pcsc' });
    cleanups.push(() => again.kill());
    await settle(again);
    expect((await again.request('status', {})).result).toMatchObject({ card: { retries: { auth: 3, sign: 5, text: 0 } } });
    expect((await again.request('portal-text', text('1234', { confirmLastTry: true }))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED', retriesLeft: 0 });
    expect(await verifies(restarted)).toEqual([]);
    expect((await again.request('authenticate', auth('1234'))).result).toBeDefined(); // its own counter
  });
});

describe('several readers', () => {
  it('with two JPKI cards, status lists both and commands refuse to choose, sending no VERIFY to either', async () => {
    const { host, card } = await setup();
    const second = join(dir, `card-second-${++counter}.json`);
    await copyFile(templates.adult!, second);
    const other = await serveCard({ stateFile: second, port: 35964 });
    cleanups.push(() => other.stop());
    const deadline = Date.now() + 15_000;
    let status = await host.request('status', {});
    while (((status.result?.readers ?? []) as { jpki: boolean }[]).filter((r) => r.jpki).length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = await host.request('status', {});
    }
    expect(status.result).toMatchObject({ card: null });
    expect((status.result!.readers as { cardPresent: boolean; jpki: boolean }[]).filter((r) => r.cardPresent && r.jpki)).toHaveLength(2);
    const reply = await host.request('authenticate', auth('1234'));
    expect(reply.error?.code).toBe('ERR_JPKI_CARD_ERROR');
    expect(reply.error?.message).toContain('Virtual PCD 00 01');
    expect(await verifies(card)).toEqual([]);
    expect((await other.traceCommands()).filter((c) => c.startsWith('00200080') && c.length > 8)).toEqual([]);
  });
});
