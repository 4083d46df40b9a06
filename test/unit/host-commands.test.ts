/**
 * Every command and the key policy (native-host/src/commands/policy.ts), in process: the commands
 * over the in-process VirtualJpkiCard through a transport that records every APDU. The same cases
 * run black-box through pcscd in test/system/host-commands.test.ts.
 */
import { constants, createHash, type KeyObject, publicDecrypt as rsaRecover, verify as rsaVerify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, authTokenHash, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import type { PinKind } from '@jpki-bridge/shared/policy';
import { persona, rig } from './host-command-rig.ts';

const ORIGIN = 'https://example.jp';
const NONCE = Buffer.alloc(32, 7).toString('base64');
const HASH = createHash('sha256').update('document').digest('base64');

const auth = (pin: string, extra: Record<string, unknown> = {}) => ({ origin: ORIGIN, challengeNonce: NONCE, pin, ...extra });
const signArgs = (pin: string, extra: Record<string, unknown> = {}) => ({ origin: ORIGIN, hashes: [HASH], hashFunction: 'SHA-256', pin, ...extra });

describe('happy paths', () => {
  it('status describes the card without spending a try', async () => {
    const r = await rig();
    const { result } = await r.run('status', {});
    expect(result).toMatchObject({ card: { type: 'my-number-card', hasSigningCertificate: true, retries: { auth: 3, sign: 5, text: 3 } } });
    expect(r.verifies()).toEqual([]);
  });

  it('authenticate signs the labelled login block over SHA-256(SHA-256(origin) ‖ SHA-256(nonce)) with the authentication key', async () => {
    const r = await rig();
    const { result } = await r.run('authenticate', auth('1234'));
    expect(result).toMatchObject({
      format: AUTH_TOKEN_FORMAT,
      algorithm: AUTH_TOKEN_ALGORITHM,
      appVersion: expect.stringMatching(/^https:\/\/.+\/\d+\.\d+\.\d+$/),
    });
    const certificate = new X509Certificate(Buffer.from(result.unverifiedCertificate, 'base64'));
    const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
    const tokenHash = sha256(Buffer.concat([sha256(ORIGIN), sha256(NONCE)]));
    expect(Buffer.from(authTokenHash(sha256, ORIGIN, NONCE))).toEqual(tokenHash);
    // What the card padded is exactly the block, not a DigestInfo (which the portal path could be made to sign).
    expect(publicDecrypt(certificate.publicKey, result.signature)).toEqual(Buffer.from(buildAuthBlock(tokenHash)));
    expect(rsaVerify('sha256', Buffer.concat([sha256(ORIGIN), sha256(NONCE)]), certificate.publicKey, Buffer.from(result.signature, 'base64'))).toBe(false);
    const root = new X509Certificate(Buffer.from(r.state.ca.auth.certificate, 'base64'));
    expect(certificate.verify(root.publicKey)).toBe(true);
  });

  it('authenticate takes at most 13 APDUs', async () => {
    const r = await rig();
    await r.run('authenticate', auth('1234'));
    expect(r.trace.length).toBeLessThanOrEqual(13);
  });

  it('sign signs every hash with the signing key after one VERIFY', async () => {
    const r = await rig();
    const hashes = [HASH, createHash('sha256').update('two').digest('base64')];
    const { result } = await r.run('sign', signArgs('abc123', { hashes }));
    expect(result.signatureAlgorithm).toEqual({ cryptoAlgorithm: 'RSA', hashFunction: 'SHA-256', paddingScheme: 'PKCS1.5' });
    const key = new X509Certificate(Buffer.from(result.certificate, 'base64')).publicKey;
    hashes.forEach((hash, i) => {
      const recovered = publicDecrypt(key, result.signatures[i]);
      expect(recovered).toEqual(Buffer.from(buildDigestInfo('SHA-256', Buffer.from(hash, 'base64'))));
    });
    expect(r.verifies()).toHaveLength(1);
  });

  it.each(['SHA-1', 'SHA-384', 'SHA-512'] as const)("sign with %s signs that function's DigestInfo", async (hashFunction) => {
    const r = await rig();
    const name = { 'SHA-1': 'sha1', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }[hashFunction];
    const hash = createHash(name).update('x').digest();
    const { result } = await r.run('sign', signArgs('ABC123', { hashes: [hash.toString('base64')], hashFunction }));
    const key = new X509Certificate(Buffer.from(result.certificate, 'base64')).publicKey;
    expect(publicDecrypt(key, result.signatures[0])).toEqual(Buffer.from(buildDigestInfo(hashFunction, hash)));
  });

  it('get-signing-certificate returns the signing certificate', async () => {
    const r = await rig();
    const { result } = await r.run('get-signing-certificate', { origin: ORIGIN, pin: 'ABC123' });
    expect(result.certificate).toBe(r.state.sign!.certificate);
  });

  it('get-signing-certificate without an origin (the popup) returns it too; a malformed PIN or a bad origin never reaches the card', async () => {
    const r = await rig();
    expect((await r.run('get-signing-certificate', { pin: 'abc123' })).result.certificate).toBe(r.state.sign!.certificate);
    const before = r.trace.length;
    expect((await r.run('get-signing-certificate', { pin: 'ABCDEF' })).error).toMatchObject({ code: 'ERR_JPKI_PIN_FORMAT' });
    expect((await r.run('get-signing-certificate', { origin: 'chrome-extension://x', pin: 'ABC123' })).error).toMatchObject({
      code: 'ERR_JPKI_INVALID_ORIGIN',
    });
    expect(r.trace.length).toBe(before);
  });

  it('portal-login signs the digest with the authentication key', async () => {
    const r = await rig();
    const digest = Buffer.from(buildDigestInfo('SHA-256', Buffer.alloc(32, 1))).toString('base64');
    const { result } = await r.run('portal-login', { origin: ORIGIN, digest, pin: '1234' });
    expect(result.certificate).toBe(r.state.auth.certificate);
    const key = new X509Certificate(Buffer.from(result.certificate, 'base64')).publicKey;
    expect(publicDecrypt(key, result.signature).toString('base64')).toBe(digest);
  });

  it('portal-sign signs each digest with the signing key', async () => {
    const r = await rig();
    const digests = [1, 2].map((n) => Buffer.from(buildDigestInfo('SHA-256', Buffer.alloc(32, n))).toString('base64'));
    const { result } = await r.run('portal-sign', { origin: ORIGIN, digests, pin: 'ABC123' });
    expect(result.certificate).toBe(r.state.sign!.certificate);
    // Each signature is the signing key's over its own digest (recovered with the signing certificate's key).
    const key = new X509Certificate(Buffer.from(r.state.sign!.certificate, 'base64')).publicKey;
    expect(result.signatures.map((signature: string) => publicDecrypt(key, signature).toString('base64'))).toEqual(digests);
    expect(r.trace.filter((apdu) => apdu.startsWith('00a4020c02')).filter((apdu) => apdu.endsWith('0017'))).toEqual([]); // never the auth key EF
    expect(r.verifies()).toHaveLength(1);
  });
});

describe('the portal commands and the login token', () => {
  // What a portal page would send to have the card sign another site's login token.
  const block = Buffer.from(buildAuthBlock(authTokenHash((data) => createHash('sha256').update(data).digest(), 'https://bank.example', NONCE))).toString(
    'base64',
  );
  const labelled = Buffer.concat([Buffer.from(buildAuthBlock(Buffer.alloc(32, 9))), Buffer.alloc(13, 1)]).toString('base64');
  const digest = Buffer.from(buildDigestInfo('SHA-256', Buffer.alloc(32, 4))).toString('base64');

  it.each([
    ['portal-login', 'a login block', { origin: ORIGIN, digest: block, pin: '1234' }],
    ['portal-login', 'longer data that starts with the label', { origin: ORIGIN, digest: labelled, pin: '1234' }],
    ['portal-sign', 'a login block among other digests', { origin: ORIGIN, digests: [digest, block], pin: 'ABC123' }],
  ])('%s refuses %s as INVALID_HASH before any card contact', async (command, _what, args) => {
    const r = await rig();
    expect((await r.run(command, args)).error).toMatchObject({ code: 'ERR_JPKI_INVALID_HASH' });
    expect(r.trace).toEqual([]);
  });
});

describe('the key policy', () => {
  it.each([
    ['authenticate', '123'],
    ['authenticate', '12345'],
    ['authenticate', '12a4'],
    ['authenticate', ''],
    ['sign', 'AB12'],
    ['sign', 'ABCDEFGH12345678X'],
    ['sign', 'ABCDEF'],
    ['sign', '123456'],
    ['sign', 'ABC-123'],
    ['sign', '1234'],
    ['sign', 'ſ12345'], // 'ſ'.toUpperCase() is 'S': still not A–Z
    ['sign', 'ß1234'], // 'ß'.toUpperCase() is 'SS'
    ['authenticate', 'ABC123'],
  ])('%s with the PIN %j is PIN_FORMAT and never touches the card', async (command, pin) => {
    const r = await rig();
    const { error } = await r.run(command, command === 'sign' ? signArgs(pin) : auth(pin));
    expect(error.code).toBe('ERR_JPKI_PIN_FORMAT');
    expect(r.trace).toEqual([]);
  });

  it('the last try needs confirmLastTry, and no VERIFY is sent without it', async () => {
    const r = await rig('adult', { adjust: (s) => void (s.pins.auth.retriesLeft = 1) });
    expect((await r.run('authenticate', auth('1234'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LAST_TRY', retriesLeft: 1 });
    expect(r.verifies()).toEqual([]);
    expect((await r.run('authenticate', auth('1234', { confirmLastTry: true }))).result).toBeDefined();
    expect(r.state.pins.auth.retriesLeft).toBe(3);
  });

  it('a locked PIN is PIN_LOCKED and no VERIFY is sent', async () => {
    const r = await rig('adult', { adjust: (s) => void (s.pins.sign.retriesLeft = 0) });
    expect((await r.run('sign', signArgs('ABC123', { confirmLastTry: true }))).error.code).toBe('ERR_JPKI_PIN_LOCKED');
    expect(r.verifies()).toEqual([]);
  });

  it('a wrong PIN is PIN_INCORRECT with the tries left', async () => {
    const r = await rig();
    expect((await r.run('authenticate', auth('9999'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 2 });
    expect((await r.run('sign', signArgs('WRONG1'))).error).toMatchObject({ code: 'ERR_JPKI_PIN_INCORRECT', retriesLeft: 4 });
  });

  it("a minor's card has no signing certificate, and no VERIFY is sent", async () => {
    const r = await rig('minor');
    for (const [command, args] of [
      ['sign', signArgs('ABC123')],
      ['get-signing-certificate', { origin: ORIGIN, pin: 'ABC123' }],
    ] as const) {
      expect((await r.run(command, args)).error.code).toBe('ERR_JPKI_NO_SIGNING_CERTIFICATE');
    }
    expect(r.verifies()).toEqual([]);
    expect((await r.run('authenticate', auth('1234'))).result).toBeDefined();
  });

  it('an expired card refuses authenticate before VERIFY and sign before any signature', async () => {
    const r = await rig('expired');
    expect((await r.run('authenticate', auth('1234'))).error.code).toBe('ERR_JPKI_CERTIFICATE_EXPIRED');
    expect(r.verifies()).toEqual([]);
    expect((await r.run('sign', signArgs('ABC123'))).error.code).toBe('ERR_JPKI_CERTIFICATE_EXPIRED');
    expect(r.trace.some((apdu) => apdu.startsWith('802a'))).toBe(false);
  });

  it("a certificate that does not match the card's leaves nothing signed", async () => {
    const r = await rig();
    const other = (await persona('expired')).sign!.certificate;
    expect((await r.run('sign', signArgs('ABC123', { certificate: other }))).error.code).toBe('ERR_JPKI_CERTIFICATE_MISMATCH');
    expect(r.trace.some((apdu) => apdu.startsWith('802a'))).toBe(false);
    expect((await r.run('sign', signArgs('ABC123', { certificate: r.state.sign!.certificate }))).result).toBeDefined();
  });

  it('the authentication PIN cannot sign and the signing PIN cannot authenticate', async () => {
    const r = await rig();
    expect((await r.run('sign', signArgs('1234'))).error.code).toBe('ERR_JPKI_PIN_FORMAT');
    expect((await r.run('authenticate', auth('ABC123'))).error.code).toBe('ERR_JPKI_PIN_FORMAT');
    expect(r.trace).toEqual([]);
  });

  it('change-pin changes both kinds, and then the new PIN works', async () => {
    const r = await rig();
    expect((await r.run('change-pin', { kind: 'auth', pin: '1234', newPin: '4321' })).result).toEqual({});
    expect((await r.run('authenticate', auth('4321'))).result).toBeDefined();
    expect((await r.run('change-pin', { kind: 'sign', pin: 'abc123', newPin: 'newpin99' })).result).toEqual({});
    expect((await r.run('sign', signArgs('NEWPIN99'))).result).toBeDefined();
    expect(r.trace.filter((apdu) => apdu.startsWith('00240180'))).toHaveLength(2);
  });

  it.each([
    ['auth', '1234', '12345'],
    ['auth', '123', '4321'],
    ['sign', 'ABC123', 'SHORT'],
    ['sign', 'ABC123', 'ONLYLETTERS'],
    ['sign', 'ABC', 'GOOD1234'],
    ['sign', 'ABC123', '1234'],
  ])('change-pin of the %s PIN from %j to %j is PIN_FORMAT without card contact', async (kind, pin, newPin) => {
    const r = await rig();
    expect((await r.run('change-pin', { kind, pin, newPin })).error.code).toBe('ERR_JPKI_PIN_FORMAT');
    expect(r.trace).toEqual([]);
  });
});

describe('the key policy in every PIN command', () => {
  const digest = Buffer.from(buildDigestInfo('SHA-256', Buffer.alloc(32, 5))).toString('base64');
  const COMMANDS: [string, PinKind, (pin: string, extra?: Record<string, unknown>) => Record<string, unknown>][] = [
    ['authenticate', 'auth', (pin, extra = {}) => auth(pin, extra)],
    ['portal-login', 'auth', (pin, extra = {}) => ({ origin: ORIGIN, digest, pin, ...extra })],
    ['sign', 'sign', (pin, extra = {}) => signArgs(pin, extra)],
    ['get-signing-certificate', 'sign', (pin, extra = {}) => ({ origin: ORIGIN, pin, ...extra })],
    // The extension's own popup asks with no origin (no site does): the same policy, step by step.
    ['get-signing-certificate (popup, no origin)', 'sign', (pin, extra = {}) => ({ pin, ...extra })],
    ['portal-sign', 'sign', (pin, extra = {}) => ({ origin: ORIGIN, digests: [digest], pin, ...extra })],
    ['portal-text', 'text', (pin, extra = {}) => ({ origin: ORIGIN, pin, ...extra })],
    ['change-pin (auth)', 'auth', (pin, extra = {}) => ({ kind: 'auth', pin, newPin: '8642', ...extra })],
    ['change-pin (sign)', 'sign', (pin, extra = {}) => ({ kind: 'sign', pin, newPin: 'NEW777', ...extra })],
    ['change-pin (text)', 'text', (pin, extra = {}) => ({ kind: 'text', pin, newPin: '2468', ...extra })],
  ];
  const PINS: Record<PinKind, string> = { auth: '1234', sign: 'ABC123', text: '1234' };
  const commandOf = (name: string) => name.replace(/ \(.*\)$/, '');
  /** Each APDU named by its policy step (the rest: null). */
  const steps = (trace: string[]) =>
    trace
      .map((apdu) =>
        apdu === '00200080'
          ? 'counter'
          : apdu.startsWith('00200080')
            ? 'verify'
            : apdu === '00a4020c020008'
              ? 'availability'
              : apdu.startsWith('802a')
                ? 'sign'
                : apdu.startsWith('00240180')
                  ? 'change'
                  : apdu === '00a4020c020002'
                    ? 'card-face text' // only portal-text selects EF 0002 (under the text application)
                    : null,
      )
      .filter((step) => step !== null);

  it.each(COMMANDS)('%s reads the counter, (signing) the availability, VERIFYs, then uses what the PIN unlocks', async (name, kind, args) => {
    const r = await rig();
    expect((await r.run(commandOf(name), args(PINS[kind]))).result).toBeDefined();
    const use = name.startsWith('change-pin') ? 'change' : kind === 'text' ? 'card-face text' : 'sign';
    const expected = kind === 'sign' ? ['counter', 'availability', 'verify'] : ['counter', 'verify'];
    if (!name.startsWith('get-signing-certificate')) expected.push(use);
    expect(steps(r.trace)).toEqual(expected);
  });

  it.each(COMMANDS)('%s on the last try without confirmation is PIN_LAST_TRY and sends no VERIFY', async (name, kind, args) => {
    const r = await rig('adult', { adjust: (s) => void (s.pins[kind].retriesLeft = 1) });
    expect((await r.run(commandOf(name), args(PINS[kind]))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LAST_TRY', retriesLeft: 1 });
    expect(r.verifies()).toEqual([]);
    expect((await r.run(commandOf(name), args(PINS[kind], { confirmLastTry: true }))).result).toBeDefined();
  });

  it.each(COMMANDS)('%s with a locked PIN is PIN_LOCKED and sends no VERIFY', async (name, kind, args) => {
    const r = await rig('adult', { adjust: (s) => void (s.pins[kind].retriesLeft = 0) });
    expect((await r.run(commandOf(name), args(PINS[kind], { confirmLastTry: true }))).error).toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(r.verifies()).toEqual([]);
  });

  it.each(COMMANDS.filter(([, kind]) => kind === 'sign'))("%s on a minor's card is NO_SIGNING_CERTIFICATE and sends no VERIFY", async (name, kind, args) => {
    const r = await rig('minor');
    expect((await r.run(commandOf(name), args(PINS[kind]))).error).toMatchObject({ code: 'ERR_JPKI_NO_SIGNING_CERTIFICATE' });
    expect(r.verifies()).toEqual([]);
  });

  // The text PIN unlocks no certificate: the card face's text does not expire with them.
  it.each(COMMANDS.filter(([name, kind]) => !name.startsWith('change-pin') && kind !== 'text'))(
    '%s on an expired card is CERTIFICATE_EXPIRED and signs nothing',
    async (name, kind, args) => {
      const r = await rig('expired');
      expect((await r.run(commandOf(name), args(PINS[kind]))).error).toMatchObject({ code: 'ERR_JPKI_CERTIFICATE_EXPIRED' });
      expect(r.trace.some((apdu) => apdu.startsWith('802a'))).toBe(false);
      // Authentication: refused before VERIFY (its certificate needs no PIN); signing: right after it.
      expect(r.verifies()).toHaveLength(kind === 'auth' ? 0 : 1);
    },
  );
});

function publicDecrypt(key: KeyObject, signatureBase64: string): Buffer {
  // RSASSA-PKCS1-v1_5 "recover": what the card padded, i.e. the DigestInfo it was given.
  return rsaRecover({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureBase64, 'base64'));
}
