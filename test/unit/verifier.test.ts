import { JPKI_POLICY_OID } from '@jpki-bridge/shared/jpki-certificate';
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { buildDigestInfo } from '@jpki-bridge/shared';
import {
  BUNDLED_JPKI_ROOTS_DIR,
  bundledJpkiRoots,
  JpkiVerifier,
  JPKI_POLICY_OIDS,
  JPKI_TEST_POLICY_OIDS,
  MemoryNonceStore,
  mergePolicies,
  trustAnchorsFrom,
  type RevocationChecker,
  type VerifierOptions,
} from '../../relying-party/src/index.ts';
import { JPKI_ROOT_FINGERPRINTS } from '../../relying-party/src/verifier/trust-anchors.ts';
import { buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import {
  issueLeaf,
  sharedTestPki,
  makeToken,
  portalDigestInfoSignature,
  sha256,
  signDigestInfo,
  tokenHash,
  wrapToken,
  type TestPki,
} from './verifier-fixtures.ts';

const ORIGIN = 'https://login.example.jp';
const NOW = new Date(Date.UTC(2026, 5, 1));

let pki: TestPki;
beforeAll(async () => {
  pki = await sharedTestPki();
});

function verifier(options: Partial<VerifierOptions> = {}, clock: { now: number } = { now: NOW.getTime() }) {
  return new JpkiVerifier({
    trustAnchors: [...trustAnchorsFrom(pki.authRoot.pem, 'auth root'), ...trustAnchorsFrom(pki.signRoot.pem, 'sign root')],
    policies: mergePolicies(JPKI_POLICY_OIDS, JPKI_TEST_POLICY_OIDS),
    origin: ORIGIN,
    nonceStore: new MemoryNonceStore({ now: () => clock.now }),
    now: () => new Date(clock.now),
    revocation: 'not-checked',
    ...options,
  });
}

describe('auth token', () => {
  it('accepts a token for the expected origin and the nonce it issued, revocation not checked', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const result = await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.revocation).toBe('not-checked');
    expect(result.subject).toMatch(/^C=JP, CN=A/);
    expect(result.serial).toBe(new X509Certificate(Buffer.from(pki.auth.certificate, 'base64')).serialNumber);
    expect(result.notAfter.toISOString()).toBe('2029-01-01T00:00:00.000Z');
    expect(result.certificateInfo.kind).toBe('auth');
  });

  it('rejects a token signed for another origin as ORIGIN_MISMATCH', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(pki.auth, 'https://evil.example', nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
  });

  it('rejects the portal forgery (the web-eid DigestInfo the card signed through launchApp mode 01) as SIGNATURE_INVALID', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const forged = wrapToken(pki.auth, portalDigestInfoSignature(pki.auth, ORIGIN, nonce));
    expect(await v.verifyAuthToken(forged, { nonce })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('rejects the same forgery in the old web-eid:1.0 wrapping as TOKEN_FORMAT', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const forged = { ...wrapToken(pki.auth, portalDigestInfoSignature(pki.auth, ORIGIN, nonce)), format: 'web-eid:1.0', algorithm: 'RS256' };
    expect(await v.verifyAuthToken(forged, { nonce })).toMatchObject({ ok: false, code: 'TOKEN_FORMAT' });
  });

  it('rejects a token whose block is signed with a DigestInfo around it (crypto.sign RS256) as SIGNATURE_INVALID', async () => {
    const { sign } = await import('node:crypto');
    const v = verifier();
    const nonce = await v.issueNonce();
    const block = buildAuthBlock(tokenHash(ORIGIN, nonce));
    const token = wrapToken(pki.auth, sign('sha256', block, pki.auth.privateKey).toString('base64'));
    expect(await v.verifyAuthToken(token, { nonce })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('rejects a replayed token: the memory store dropped its nonce when it was used (NONCE_UNKNOWN)', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const token = makeToken(pki.auth, ORIGIN, nonce);
    expect((await v.verifyAuthToken(token, { nonce })).ok).toBe(true);
    expect(await v.verifyAuthToken(token, { nonce })).toMatchObject({ ok: false, code: 'NONCE_UNKNOWN' });
  });

  it('rejects a replayed token as NONCE_REUSED with a store that remembers used nonces', async () => {
    const used = new Set<string>();
    const store = { issue: async () => 'n'.repeat(43) + '=', consume: async (n: string) => (used.has(n) ? 'reused' : (used.add(n), 'ok')) } as const;
    const v = verifier({ nonceStore: store });
    const nonce = await v.issueNonce();
    const token = makeToken(pki.auth, ORIGIN, nonce);
    expect((await v.verifyAuthToken(token, { nonce })).ok).toBe(true);
    expect(await v.verifyAuthToken(token, { nonce })).toMatchObject({ ok: false, code: 'NONCE_REUSED' });
  });

  it('rejects a nonce older than 5 minutes as NONCE_EXPIRED', async () => {
    const clock = { now: NOW.getTime() };
    const v = verifier({}, clock);
    const nonce = await v.issueNonce();
    clock.now += 5 * 60_000 + 1;
    const result = await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'NONCE_EXPIRED' });
  });

  it('accepts a nonce just inside its 5-minute life', async () => {
    const clock = { now: NOW.getTime() };
    const v = verifier({}, clock);
    const nonce = await v.issueNonce();
    clock.now += 5 * 60_000;
    expect((await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce })).ok).toBe(true);
  });

  it('rejects a nonce the verifier never issued as NONCE_UNKNOWN', async () => {
    const v = verifier();
    const nonce = Buffer.alloc(32, 7).toString('base64');
    const result = await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'NONCE_UNKNOWN' });
  });

  it('rejects a tampered signature as SIGNATURE_INVALID', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const token = makeToken(pki.auth, ORIGIN, nonce);
    const bytes = Buffer.from(token.signature, 'base64');
    bytes[100] = bytes[100]! ^ 0x01;
    const result = await v.verifyAuthToken({ ...token, signature: bytes.toString('base64') }, { nonce });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('rejects a certificate from another CA as UNTRUSTED_CERTIFICATE', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(pki.otherCaAuth, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'UNTRUSTED_CERTIFICATE' });
  });

  it('rejects a certificate that names a trusted issuer but was signed by another key', async () => {
    // Same issuer name as the trusted auth root, different key: name chaining alone must not pass.
    const impostor = issueLeaf({ ...pki.otherRoot, forgeCert: pki.authRoot.forgeCert }, { kind: 'auth' });
    const v = verifier();
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(impostor, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'UNTRUSTED_CERTIFICATE' });
  });

  it('rejects an expired certificate as CERTIFICATE_EXPIRED', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(pki.expiredAuth, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'CERTIFICATE_EXPIRED' });
  });

  it('rejects a certificate before its validity as CERTIFICATE_NOT_YET_VALID', async () => {
    const v = verifier({ now: () => new Date(Date.UTC(2023, 0, 1)) });
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'CERTIFICATE_NOT_YET_VALID' });
  });

  it('rejects everything once the trust anchor itself has expired', async () => {
    const v = verifier({ now: () => new Date(Date.UTC(2041, 0, 1)) });
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'UNTRUSTED_CERTIFICATE' });
  });

  it('rejects a signing certificate offered for login as WRONG_CERTIFICATE_TYPE', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(pki.sign, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'WRONG_CERTIFICATE_TYPE' });
  });

  it('rejects a certificate without a configured policy as WRONG_CERTIFICATE_TYPE', async () => {
    const v = verifier({ policies: JPKI_POLICY_OIDS }); // production only: the test signing arc is unknown
    const nonce = await v.issueNonce();
    const signOnlyTest = issueLeaf(pki.authRoot, { kind: 'auth', policy: '1.2.3.4' });
    const result = await v.verifyAuthToken(makeToken(signOnlyTest, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: false, code: 'WRONG_CERTIFICATE_TYPE' });
  });

  it("rejects the development CA's authentication certificate under production policies, even with its root trusted (issue 19 finding 11)", async () => {
    const v = verifier({ policies: JPKI_POLICY_OIDS });
    const nonce = await v.issueNonce();
    expect(await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce })).toMatchObject({ ok: false, code: 'WRONG_CERTIFICATE_TYPE' });
  });

  it('rejects an auth-policy certificate whose keyUsage asserts nonRepudiation', async () => {
    const odd = issueLeaf(pki.authRoot, { kind: 'auth', nonRepudiation: true });
    const v = verifier();
    const nonce = await v.issueNonce();
    expect(await v.verifyAuthToken(makeToken(odd, ORIGIN, nonce), { nonce })).toMatchObject({ code: 'WRONG_CERTIFICATE_TYPE' });
  });

  it.each([
    ['null', null],
    ['a string', 'token'],
    ['the wrong format', { format: 'web-eid:0.9' }],
    ['the web-eid:1.0 format and RS256', { format: 'web-eid:1.0', algorithm: 'RS256' }],
    ['the wrong algorithm', { algorithm: 'ES256' }],
    ['a non-base64 certificate', { unverifiedCertificate: 'not base64!' }],
    ['a non-base64 signature', { signature: '***' }],
  ])('rejects a token with %s as TOKEN_FORMAT', async (_name, patch) => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const good = makeToken(pki.auth, ORIGIN, nonce);
    const token = patch === null || typeof patch === 'string' ? patch : { ...good, ...patch };
    expect(await v.verifyAuthToken(token, { nonce })).toMatchObject({ ok: false, code: 'TOKEN_FORMAT' });
  });

  it('rejects a certificate with trailing bytes, or a non-minimal outer length, as CERTIFICATE_MALFORMED', async () => {
    const der = Buffer.from(pki.auth.certificate, 'base64');
    expect(der.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x82])); // SEQUENCE, two length octets
    const trailing = Buffer.concat([der, Buffer.from([0x00, 0x00])]);
    const longLength = Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)]); // same length in three octets
    for (const bytes of [trailing, longLength]) {
      const v = verifier();
      const nonce = await v.issueNonce();
      const token = { ...makeToken(pki.auth, ORIGIN, nonce), unverifiedCertificate: bytes.toString('base64') };
      expect(await v.verifyAuthToken(token, { nonce })).toMatchObject({ ok: false, code: 'CERTIFICATE_MALFORMED' });
    }
  });

  it('returns exactly the DER it was given as the certificate', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const result = await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce });
    expect(result).toMatchObject({ ok: true, certificateInfo: { certificate: pki.auth.certificate } });
  });

  it('rejects a certificate that is base64 but not X.509 as CERTIFICATE_MALFORMED', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const token = { ...makeToken(pki.auth, ORIGIN, nonce), unverifiedCertificate: Buffer.from('hello').toString('base64') };
    expect(await v.verifyAuthToken(token, { nonce })).toMatchObject({ ok: false, code: 'CERTIFICATE_MALFORMED' });
  });

  it('reports REVOKED and the checker’s good status through the pluggable checker', async () => {
    const revoked: RevocationChecker = { check: async () => 'revoked' };
    const good: RevocationChecker = { check: async () => 'good' };
    for (const [checker, expected] of [
      [revoked, { ok: false, code: 'REVOKED' }],
      [good, { ok: true, revocation: 'good' }],
    ] as const) {
      const v = verifier({ revocation: checker });
      const nonce = await v.issueNonce();
      expect(await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce })).toMatchObject(expected);
    }
  });

  it('fails REVOCATION_UNKNOWN when the checker cannot answer, and succeeds with revocation "unknown" only with allowUnknownRevocation', async () => {
    const unknown: RevocationChecker = { check: async () => 'unknown' };
    for (const [options, expected] of [
      [{ revocation: unknown }, { ok: false, code: 'REVOCATION_UNKNOWN' }],
      [
        { revocation: unknown, allowUnknownRevocation: true },
        { ok: true, revocation: 'unknown' },
      ],
    ] as const) {
      const v = verifier(options);
      const nonce = await v.issueNonce();
      expect(await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce })).toMatchObject(expected);
      const hash = sha256('document');
      const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', hash));
      expect(await v.verifySignature({ hash, hashFunction: 'SHA-256', signature, certificate: pki.sign.certificate })).toMatchObject(expected);
    }
  });

  it('cannot be built without a revocation decision (a checker, or the words not-checked)', () => {
    const { revocation: _none, ...withoutRevocation } = { trustAnchors: trustAnchorsFrom(pki.authRoot.pem, 'auth root'), revocation: undefined };
    expect(() => new JpkiVerifier(withoutRevocation as unknown as VerifierOptions)).toThrow(/revocation is required/);
    expect(() => new JpkiVerifier({ ...withoutRevocation, revocation: 'no' } as unknown as VerifierOptions)).toThrow(/revocation is required/);
  });

  it('burns the nonce even when the signature is bad (one attempt per challenge)', async () => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const token = makeToken(pki.auth, 'https://evil.example', nonce);
    await v.verifyAuthToken(token, { nonce });
    expect(await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce })).toMatchObject({ code: 'NONCE_UNKNOWN' });
  });
});

describe('memory nonce store', () => {
  it('evicts the oldest nonce when full instead of refusing, so a flood cannot lock logins out', async () => {
    const store = new MemoryNonceStore({ maxEntries: 1_000 });
    const v = verifier({ nonceStore: store });
    const first = await v.issueNonce();
    for (let i = 0; i < 2_000; i++) await v.issueNonce(); // the flood
    expect(store.size).toBe(1_000);
    const nonce = await v.issueNonce(); // a real user, after the flood
    expect((await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce })).ok).toBe(true);
    expect(await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, first), { nonce: first })).toMatchObject({ code: 'NONCE_UNKNOWN' });
  });

  it('drops a nonce the moment it is used', async () => {
    const store = new MemoryNonceStore();
    const v = verifier({ nonceStore: store });
    const nonce = await v.issueNonce();
    expect(store.size).toBe(1);
    await v.verifyAuthToken(makeToken(pki.auth, 'https://evil.example', nonce), { nonce }); // even a failed attempt
    expect(store.size).toBe(0);
  });

  it('forgets nonces past their lifetime and retention when new ones are issued', async () => {
    const clock = { now: NOW.getTime() };
    const store = new MemoryNonceStore({ now: () => clock.now });
    await store.issue();
    await store.issue();
    clock.now += 10 * 60_000 + 1;
    await store.issue();
    expect(store.size).toBe(1);
  });
});

describe('signature over a hash', () => {
  const hash = sha256('document');

  it('accepts a signing certificate’s signature and reads the holder from subjectAltName', async () => {
    const v = verifier();
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', hash));
    const result = await v.verifySignature({ hash: hash.toString('base64'), hashFunction: 'SHA-256', signature, certificate: pki.sign.certificate });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.holder).toEqual({
      name: '公的　太郎',
      address: '東京都千代田区霞が関２－１－２',
      dateOfBirth: '1985-04-01',
      dateOfBirthRaw: '319850401',
      sex: 'male',
      hasSubstituteCharacters: false,
    });
    expect(result.certificateInfo.kind).toBe('sign');
  });

  it.each(['SHA-384', 'SHA-512'] as const)('accepts %s', async (hashFunction) => {
    const h = Buffer.alloc(hashFunction === 'SHA-384' ? 48 : 64, 3);
    const signature = signDigestInfo(pki.sign, buildDigestInfo(hashFunction, h));
    const result = await verifier().verifySignature({ hash: h, hashFunction, signature, certificate: pki.sign.certificate });
    expect(result.ok).toBe(true);
  });

  it('refuses a genuine SHA-1 signature as WEAK_HASH unless the verifier opts in with allowSha1', async () => {
    const h = Buffer.alloc(20, 3);
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-1', h));
    const input = { hash: h, hashFunction: 'SHA-1', signature, certificate: pki.sign.certificate } as const;
    expect(await verifier().verifySignature(input)).toMatchObject({ ok: false, code: 'WEAK_HASH' });
    expect(await verifier({ allowSha1: true }).verifySignature(input)).toMatchObject({ ok: true });
  });

  it('rejects an authentication certificate offered for signing as WRONG_CERTIFICATE_TYPE', async () => {
    const signature = signDigestInfo(pki.auth, buildDigestInfo('SHA-256', hash));
    const result = await verifier().verifySignature({ hash, hashFunction: 'SHA-256', signature, certificate: pki.auth.certificate });
    expect(result).toMatchObject({ ok: false, code: 'WRONG_CERTIFICATE_TYPE' });
  });

  it('rejects a signature over another hash as SIGNATURE_INVALID', async () => {
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', sha256('other')));
    const result = await verifier().verifySignature({ hash, hashFunction: 'SHA-256', signature, certificate: pki.sign.certificate });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('rejects a hash of the wrong length for its function as TOKEN_FORMAT', async () => {
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', hash));
    const result = await verifier().verifySignature({ hash: hash.subarray(0, 20), hashFunction: 'SHA-256', signature, certificate: pki.sign.certificate });
    expect(result).toMatchObject({ ok: false, code: 'TOKEN_FORMAT' });
  });
});

describe('inputs of the wrong type (request bodies handed straight in)', () => {
  it.each([
    ['null', null, /signature input is not an object/],
    ['a string', 'x', /signature input is not an object/],
    ['hash: null', { hash: null, hashFunction: 'SHA-256' }, /hash is not base64/],
    ['hash: 5', { hash: 5, hashFunction: 'SHA-256' }, /hash is not base64/],
    ['hashFunction: null', { hash: 'AAAA', hashFunction: null }, /hashFunction null is not one of SHA-1, SHA-256/],
    ['no hashFunction', { hash: 'AAAA' }, /hashFunction undefined is not one of/],
    ['hashFunction: "toString"', { hash: 'AAAA', hashFunction: 'toString' }, /hashFunction "toString" is not one of/],
  ])('answers TOKEN_FORMAT with a message that names the fault for %s (issue 19 finding 10)', async (_name, input, message) => {
    const result = await verifier().verifySignature(input as never);
    expect(result).toMatchObject({ ok: false, code: 'TOKEN_FORMAT', message: expect.stringMatching(message) });
  });

  it.each([123, null, {}, ['MAA=']])('answers TOKEN_FORMAT for the certificate %j instead of throwing', async (certificate) => {
    const v = verifier();
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', sha256('document')));
    const hash = sha256('document').toString('base64');
    const bad = certificate as unknown as string;
    await expect(v.verifySignature({ hash, hashFunction: 'SHA-256', signature, certificate: bad })).resolves.toMatchObject({ ok: false, code: 'TOKEN_FORMAT' });
    const challenge = await v.issueUnboundPortalChallenge();
    await expect(v.verifyUnboundPortalLogin({ nonce: challenge.nonce, signature, certificate: bad })).resolves.toMatchObject({
      ok: false,
      code: 'TOKEN_FORMAT',
    });
  });
});

describe('portal-compatible login (launchApp mode 01)', () => {
  it('verifies the card’s signature over the DigestInfo the server issued', async () => {
    const v = verifier();
    const challenge = await v.issueUnboundPortalChallenge();
    const signature = signDigestInfo(pki.auth, Buffer.from(challenge.digestInfo, 'base64'));
    const result = await v.verifyUnboundPortalLogin({ nonce: challenge.nonce, signature, certificate: pki.auth.certificate });
    expect(result).toMatchObject({ ok: true, revocation: 'not-checked' });
    expect(await v.verifyUnboundPortalLogin({ nonce: challenge.nonce, signature, certificate: pki.auth.certificate })).toMatchObject({
      code: 'NONCE_UNKNOWN',
    });
  });

  it('takes the certificate as the portal answer carries it, base64 without padding', async () => {
    const v = verifier();
    const challenge = await v.issueUnboundPortalChallenge();
    // The premise: a certificate whose base64 has padding to drop (its DER length is not a multiple of 3).
    // The two policy OIDs differ in encoded length by one byte, so one of the two certificates has padding.
    const leaf = pki.auth.certificate.endsWith('=') ? pki.auth : issueLeaf(pki.authRoot, { kind: 'auth', policy: JPKI_POLICY_OID.auth });
    const signature = signDigestInfo(leaf, Buffer.from(challenge.digestInfo, 'base64'));
    const unpadded = leaf.certificate.replace(/=+$/, '');
    expect(unpadded.length % 4).not.toBe(0);
    expect(await v.verifyUnboundPortalLogin({ nonce: challenge.nonce, signature, certificate: unpadded })).toMatchObject({ ok: true });
  });

  it('rejects a signature made for another site’s challenge as ORIGIN_MISMATCH', async () => {
    const v = verifier();
    const mine = await v.issueUnboundPortalChallenge();
    const theirs = await verifier({ origin: 'https://other.example.jp' }).issueUnboundPortalChallenge();
    const signature = signDigestInfo(pki.auth, Buffer.from(theirs.digestInfo, 'base64'));
    expect(await v.verifyUnboundPortalLogin({ nonce: mine.nonce, signature, certificate: pki.auth.certificate })).toMatchObject({
      code: 'ORIGIN_MISMATCH',
    });
  });
});

describe('the portal login is named and documented as not origin-bound (issue 19 finding 2)', () => {
  it('accepts a challenge relayed to and signed on another site, as its name says; the misleading name is gone', async () => {
    const site = verifier();
    const challenge = await site.issueUnboundPortalChallenge();
    // What the card does on the relaying site's page: mode 01 signs the DigestInfo it is handed;
    // nothing the page's origin could change enters the signature.
    const signedElsewhere = signDigestInfo(pki.auth, Buffer.from(challenge.digestInfo, 'base64'));
    expect(await site.verifyUnboundPortalLogin({ nonce: challenge.nonce, signature: signedElsewhere, certificate: pki.auth.certificate })).toMatchObject({
      ok: true,
    });
    expect('verifyPortalLogin' in site).toBe(false);
    expect('issuePortalChallenge' in site).toBe(false);
  });
});

describe('trust anchors', () => {
  const read = (name: string) => readFileSync(join(BUNDLED_JPKI_ROOTS_DIR, name), 'utf8');

  it('ships the real J-LIS roots in the project and uses them when no anchors are given', async () => {
    expect(bundledJpkiRoots().map((a) => a.certificate.fingerprint256)).toEqual([
      JPKI_ROOT_FINGERPRINTS['auth-2015'],
      JPKI_ROOT_FINGERPRINTS['auth-2023'],
      JPKI_ROOT_FINGERPRINTS['sign-2015'],
      JPKI_ROOT_FINGERPRINTS['sign-2023'],
    ]);
    // A verifier on the default anchors rejects a development-CA token as untrusted.
    const v = new JpkiVerifier({ origin: ORIGIN, now: () => NOW, revocation: 'not-checked' });
    const nonce = await v.issueNonce();
    expect(await v.verifyAuthToken(makeToken(pki.auth, ORIGIN, nonce), { nonce })).toMatchObject({ code: 'UNTRUSTED_CERTIFICATE' });
  });

  it('records beside the roots the fingerprint and validity of each, as computed from the files', () => {
    const readme = readFileSync(join(BUNDLED_JPKI_ROOTS_DIR, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\w+\.pem) \|[^|]+\| (\w+) \| ([\d-]+ [\d:]+) \| ([\d-]+ [\d:]+) \| ([0-9A-F:]{95}) \|$/gm)];
    const files = readdirSync(BUNDLED_JPKI_ROOTS_DIR)
      .filter((name) => name.endsWith('.pem'))
      .sort();
    expect(rows.map((row) => row[1])).toEqual(files);
    const utc = (date: string) => new Date(date).toISOString().replace('T', ' ').slice(0, 19);
    for (const [, file, serial, from, to, fingerprint] of rows) {
      const certificate = new X509Certificate(read(file!));
      expect({
        file,
        serial: certificate.serialNumber,
        from: utc(certificate.validFrom),
        to: utc(certificate.validTo),
        fingerprint: certificate.fingerprint256,
      }).toEqual({
        file,
        serial,
        from,
        to,
        fingerprint,
      });
      expect(Object.values(JPKI_ROOT_FINGERPRINTS)).toContain(fingerprint);
    }
  });

  it('loads a real root from DER as well as PEM', () => {
    const pem = read('auth_ca_2023.pem');
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(trustAnchorsFrom(der, 'der', { pin: true })[0]!.certificate.fingerprint256).toMatch(/^64:11:4F/);
  });

  it('refuses a file whose fingerprint is not pinned when pinning is on', () => {
    expect(() => trustAnchorsFrom(pki.authRoot.pem, 'impostor.pem', { pin: true })).toThrow(/not pinned/);
    expect(() => trustAnchorsFrom(read('auth_ca_2023.pem'), 'x', { pin: [JPKI_ROOT_FINGERPRINTS['sign-2023']!] })).toThrow(/not pinned/);
  });

  it('refuses an end-entity certificate as an anchor', () => {
    expect(() => trustAnchorsFrom(pki.auth.pem, 'leaf.pem')).toThrow(/not a CA/);
  });
});

describe('token shape check', () => {
  it('agrees with the shared authTokenSchema on well-formed and malformed tokens', async () => {
    const v = await import('valibot');
    const { authTokenSchema } = await import('@jpki-bridge/shared');
    const { isAuthTokenShaped } = await import('../../relying-party/src/verifier/inputs.ts');
    const good = makeToken(pki.auth, ORIGIN, Buffer.alloc(32).toString('base64'));
    const cases: unknown[] = [
      good,
      { ...good, format: 'web-eid:1.1' },
      { ...good, algorithm: 'PS256' },
      { ...good, appVersion: 1 },
      { ...good, signature: 5 },
      { ...good, unverifiedCertificate: 'x'.repeat(20_000) },
      [good],
      null,
    ];
    for (const token of cases) {
      const schemaSays = v.safeParse(authTokenSchema, token).success;
      expect(isAuthTokenShaped(token), JSON.stringify(token)?.slice(0, 80)).toBe(schemaSays);
    }
  });

  it.each(['A-AA', 'A_AA', 'AA=A', 'AAA', '====', 'AAAA AAAA'])('refuses the signature encoding %j', async (signature) => {
    const v = verifier();
    const nonce = await v.issueNonce();
    const token = { ...makeToken(pki.auth, ORIGIN, nonce), signature };
    expect(await v.verifyAuthToken(token, { nonce })).toMatchObject({ code: 'TOKEN_FORMAT' });
  });
});
