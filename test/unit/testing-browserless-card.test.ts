/**
 * `createVirtualCard` of @jpki-bridge/testing: the card a site's unit tests use without a browser.
 * Its tokens and signatures must be what the verifier accepts when it trusts the card's
 * development CA and refuses otherwise, and its token must be the host's: the real host process
 * (`jpki-bridge host --card virtual:FILE`) over a copy of the same card state signs the same bytes.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCardState } from '../../native-host/src/virtual-card/index.ts';
import { CrlRevocationChecker, JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { createVirtualCard, type InProcessVirtualCard } from '../../tools/dev/in-process-card.ts';
import { spawnHost } from '../harness/host.ts';
import { sharedCardState, type SharedCard } from './shared-cards.ts';

const ORIGIN = 'https://city.example.jp';

let card: InProcessVirtualCard;
let stranger: InProcessVirtualCard;
/** A card on the run's shared state of a persona (making one costs four RSA keys); `revoked` below is made from its persona. */
const sharedCard = async (name: SharedCard) => createVirtualCard({ state: await sharedCardState(name) });
const verifierTrusting = (pem: string) =>
  new JpkiVerifier({ trustAnchors: trustAnchorsFrom(pem, 'dev CA'), policies: JPKI_TEST_POLICY_OIDS, origin: ORIGIN, revocation: 'not-checked' });

beforeAll(async () => {
  [card, stranger] = await Promise.all([sharedCard('adult'), sharedCard('other-adult')]);
}, 60_000);

describe('createVirtualCard', () => {
  it('gives login tokens the verifier accepts when it trusts the card’s development CA', async () => {
    const verifier = verifierTrusting(card.developmentCa);
    const nonce = await verifier.issueNonce();
    const token = await card.authenticate({ origin: ORIGIN, challengeNonce: nonce });
    expect(token.format).toBe('jpki-bridge:1');
    const result = await verifier.verifyAuthToken(token, { nonce });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.certificateInfo.fingerprint256).toBe(new X509Certificate(Buffer.from(card.state.auth.certificate, 'base64')).fingerprint256);
  });

  it('is refused by a verifier that trusts another CA, and for another origin', async () => {
    const foreign = verifierTrusting(stranger.developmentCa);
    const nonce = await foreign.issueNonce();
    expect(await foreign.verifyAuthToken(await card.authenticate({ origin: ORIGIN, challengeNonce: nonce }), { nonce })).toMatchObject({
      ok: false,
      code: 'UNTRUSTED_CERTIFICATE',
    });

    const verifier = verifierTrusting(card.developmentCa);
    const other = await verifier.issueNonce();
    const elsewhere = await card.authenticate({ origin: 'https://evil.example', challengeNonce: other });
    expect(await verifier.verifyAuthToken(elsewhere, { nonce: other })).toMatchObject({ ok: false, code: 'ORIGIN_MISMATCH' });
  });

  it('signs hashes with the signing certificate, which the verifier checks', async () => {
    const hash = createHash('sha256').update('申告書').digest();
    const { certificate, signatures } = await card.sign({ hashes: [hash], hashFunction: 'SHA-256' });
    expect(certificate).toBe(card.state.sign!.certificate);
    const verifier = verifierTrusting(card.developmentCa);
    const result = await verifier.verifySignature({ hash: hash.toString('base64'), hashFunction: 'SHA-256', signature: signatures[0]!, certificate });
    expect(result).toMatchObject({ ok: true });
    expect(
      await verifierTrusting(stranger.developmentCa).verifySignature({
        hash: hash.toString('base64'),
        hashFunction: 'SHA-256',
        signature: signatures[0]!,
        certificate,
      }),
    ).toMatchObject({ ok: false });
  });

  it('counts a wrong PIN as the card does, with the host’s typed error', async () => {
    const fresh = await createVirtualCard({ state: structuredClone(card.state) });
    await expect(fresh.authenticate({ origin: ORIGIN, challengeNonce: randomBytes(32).toString('base64'), pin: '9999' })).rejects.toMatchObject({
      code: 'ERR_JPKI_PIN_INCORRECT',
      retriesLeft: 2,
    });
    // A malformed PIN never reaches the card.
    await expect(fresh.authenticate({ origin: ORIGIN, challengeNonce: randomBytes(32).toString('base64'), pin: '12' })).rejects.toMatchObject({
      code: 'ERR_JPKI_PIN_FORMAT',
    });
    expect(fresh.state.pins.auth.retriesLeft).toBe(2);
  });
});

describe('createVirtualCard and the host process over the same card', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jpki-browserless-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('produce the same token, which verifies alike', async () => {
    const file = join(dir, 'card.json');
    await saveCardState(file, card.state);
    const verifier = verifierTrusting(card.developmentCa);
    const nonce = await verifier.issueNonce();
    const host = await spawnHost({ card: `virtual:${file}` });
    try {
      const reply = await host.request('authenticate', { origin: ORIGIN, challengeNonce: nonce, pin: card.pins.auth });
      expect(reply.error).toBeUndefined();
      const fromHost = reply.result!;
      const inProcess = await card.authenticate({ origin: ORIGIN, challengeNonce: nonce });
      expect(inProcess).toEqual(fromHost); // PKCS#1 v1.5 is deterministic: same key, same block, same bytes
      // Each verifies alike (the nonce is single-use: one per token, each made by both sides).
      const second = await verifier.issueNonce();
      const [hostReply, inProcessSecond] = await Promise.all([
        host.request('authenticate', { origin: ORIGIN, challengeNonce: second, pin: card.pins.auth }),
        card.authenticate({ origin: ORIGIN, challengeNonce: second }),
      ]);
      expect(inProcessSecond).toEqual(hostReply.result);
      const fromHostResult = await verifier.verifyAuthToken(fromHost, { nonce });
      const inProcessResult = await verifier.verifyAuthToken(inProcessSecond, { nonce: second });
      expect(fromHostResult).toMatchObject({ ok: true });
      expect(inProcessResult).toEqual(fromHostResult);
    } finally {
      host.endInput();
      await host.exited;
    }
  }, 60_000);
});

describe('the error-path personas, browserless', () => {
  const nonce = () => randomBytes(32).toString('base64');
  const hash = createHash('sha256').update('申告書').digest();
  const withCrls = (c: InProcessVirtualCard) =>
    new JpkiVerifier({
      trustAnchors: trustAnchorsFrom(c.developmentCa, 'dev CA'),
      policies: JPKI_TEST_POLICY_OIDS,
      origin: ORIGIN,
      revocation: new CrlRevocationChecker(c.crls()),
    });

  it('auth-pin-locked: login is ERR_JPKI_PIN_LOCKED, no try spent; signing still works', async () => {
    const c = await sharedCard('auth-pin-locked');
    await expect(c.authenticate({ origin: ORIGIN, challengeNonce: nonce() })).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    expect(c.state.pins.sign.retriesLeft).toBe(5);
    await expect(c.sign({ hashes: [hash], hashFunction: 'SHA-256' })).resolves.toMatchObject({ signatures: [expect.any(String)] });
  });

  it('sign-pin-locked: signing is ERR_JPKI_PIN_LOCKED; login still works', async () => {
    const c = await sharedCard('sign-pin-locked');
    await expect(c.sign({ hashes: [hash], hashFunction: 'SHA-256' })).rejects.toMatchObject({ code: 'ERR_JPKI_PIN_LOCKED' });
    await expect(c.authenticate({ origin: ORIGIN, challengeNonce: nonce() })).resolves.toMatchObject({ format: 'jpki-bridge:1' });
  });

  it('revoked: the CA’s CRL lists the authentication certificate, the verifier refuses the login; an adult’s passes the same check', async () => {
    const c = await createVirtualCard({ persona: 'revoked' });
    const verifier = withCrls(c);
    const n = await verifier.issueNonce();
    expect(await verifier.verifyAuthToken(await c.authenticate({ origin: ORIGIN, challengeNonce: n }), { nonce: n })).toMatchObject({
      ok: false,
      code: 'REVOKED',
    });
    const adultVerifier = withCrls(card);
    const m = await adultVerifier.issueNonce();
    expect(await adultVerifier.verifyAuthToken(await card.authenticate({ origin: ORIGIN, challengeNonce: m }), { nonce: m })).toMatchObject({
      ok: true,
      revocation: 'good',
    });
  });

  it('moved: login is good, the signing certificate is revoked', async () => {
    const c = await sharedCard('moved');
    const verifier = withCrls(c);
    const n = await verifier.issueNonce();
    expect(await verifier.verifyAuthToken(await c.authenticate({ origin: ORIGIN, challengeNonce: n }), { nonce: n })).toMatchObject({
      ok: true,
      revocation: 'good',
    });
    const { certificate, signatures } = await c.sign({ hashes: [hash], hashFunction: 'SHA-256' });
    expect(await verifier.verifySignature({ hash: hash.toString('base64'), hashFunction: 'SHA-256', signature: signatures[0]!, certificate })).toMatchObject({
      ok: false,
      code: 'REVOKED',
    });
  });
});
