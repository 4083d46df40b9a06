/**
 * Writes the login-token test vectors shipped in @jpki-bridge/verifier
 * (relying-party/test-vectors/auth-tokens.json): tokens from the browserless virtual card
 * (createVirtualCard: the host's own command code), each with the origin, nonce and chain it is
 * checked against and the verdict every verifier must reach — forgeries included. Verifiers in
 * other languages (docs/recipes/) are run against them in the suite.
 *
 *   npm run test-vectors
 *
 * Forgeries need the card's private keys, which only the virtual card's state holds: they are
 * made here with Node's RSA, never by the card.
 */
import { constants, createHash, privateEncrypt, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { authTokenHash, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import { DEV_POLICY_OID } from '@jpki-bridge/shared/jpki-certificate';
import type { AuthToken } from '@jpki-bridge/shared/protocol/native';
import { toPem } from '../../native-host/src/virtual-card/dev-ca.ts';
import { createCardState } from '../../native-host/src/virtual-card/index.ts';
import { createVirtualCard } from './in-process-card.ts';
import { ROOT } from './checkout.ts';

export const TEST_VECTORS_FILE = join(ROOT, 'relying-party/test-vectors/auth-tokens.json');
const ORIGIN = 'https://city.example.jp';

export interface TestVector {
  name: string;
  why: string;
  origin: string;
  challengeNonce: string;
  /** As the page hands it to the site: a token's fields, some forged. */
  token: { [K in keyof AuthToken]: string };
  /** base64 DER, leaf first: the token's certificate and its issuer (in `trustAnchors` unless the vector says otherwise). */
  chain: string[];
  expected: 'valid' | 'invalid';
}

export interface TestVectorFile {
  format: 'jpki-bridge-auth-token-vectors/1';
  description: string;
  /** Check every vector at this time (the certificates' validity is relative to it). */
  verifyAt: string;
  /** The certificate policy an authentication certificate must carry (the virtual card's development OID). */
  authPolicyOid: string;
  /** PEM: the only issuers to trust (several share a name: the development CAs are all named alike). */
  trustAnchors: string[];
  vectors: TestVector[];
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();
const nonce = () => randomBytes(32).toString('base64');
const rsa = (keyPem: string, data: Uint8Array) => privateEncrypt({ key: keyPem, padding: constants.RSA_PKCS1_PADDING }, data).toString('base64');

export async function makeTestVectors(): Promise<TestVectorFile> {
  const now = new Date();
  const [card, other, expired, stranger] = await Promise.all([
    createVirtualCard({ persona: 'adult', now: () => now }),
    createVirtualCard({ persona: 'adult', now: () => now }),
    // The host refuses to sign with an expired certificate: the expired card's token is made as the
    // host would have made it before expiry (its clock set back), then checked now.
    createCardState({ persona: 'expired' }).then((state) => createVirtualCard({ state, now: () => new Date(Date.parse(state.persona.issued) + 86_400_000) })),
    createVirtualCard({ persona: 'adult', now: () => now }),
  ]);
  const chainOf = (c: typeof card, certificate = c.state.auth.certificate, kind: 'auth' | 'sign' = 'auth') => [certificate, c.state.ca[kind].certificate];
  const vectors: TestVector[] = [];
  const add = (v: Omit<TestVector, 'chain'> & { chain?: string[] }) => vectors.push({ ...v, chain: v.chain ?? chainOf(card) });

  const ok = nonce();
  const valid = await card.authenticate({ origin: ORIGIN, challengeNonce: ok });
  add({ name: 'valid', why: 'the card signed this origin and nonce', origin: ORIGIN, challengeNonce: ok, token: valid, expected: 'valid' });

  const elsewhere = nonce();
  add({
    name: 'other-origin',
    why: 'signed for https://evil.example, presented to this origin',
    origin: ORIGIN,
    challengeNonce: elsewhere,
    token: await card.authenticate({ origin: 'https://evil.example', challengeNonce: elsewhere }),
    expected: 'invalid',
  });
  add({
    name: 'other-nonce',
    why: 'signed for another nonce',
    origin: ORIGIN,
    challengeNonce: nonce(),
    token: await card.authenticate({ origin: ORIGIN, challengeNonce: nonce() }),
    expected: 'invalid',
  });

  const flipped = Buffer.from(valid.signature, 'base64');
  flipped[flipped.length - 1]! ^= 0x01;
  add({
    name: 'signature-tampered',
    why: 'the valid token with its last signature bit flipped',
    origin: ORIGIN,
    challengeNonce: ok,
    token: { ...valid, signature: flipped.toString('base64') },
    expected: 'invalid',
  });

  const hash = (n: string) => authTokenHash(sha256, ORIGIN, n);
  const portal = nonce();
  add({
    name: 'digestinfo-not-block',
    why: 'the authentication key over DigestInfo(SHA-256, token hash): what a portal-surface signature would be, not the labelled block',
    origin: ORIGIN,
    challengeNonce: portal,
    token: { ...valid, signature: rsa(card.state.auth.key, buildDigestInfo('SHA-256', hash(portal))) },
    expected: 'invalid',
  });
  const bare = nonce();
  add({
    name: 'hash-without-label',
    why: 'the authentication key over the bare 32-byte token hash',
    origin: ORIGIN,
    challengeNonce: bare,
    token: { ...valid, signature: rsa(card.state.auth.key, hash(bare)) },
    expected: 'invalid',
  });

  const signing = nonce();
  add({
    name: 'signing-certificate',
    why: 'the signing key over the right block, with the signing certificate: not an authentication certificate (policy)',
    origin: ORIGIN,
    challengeNonce: signing,
    token: { ...valid, unverifiedCertificate: card.state.sign!.certificate, signature: rsa(card.state.sign!.key, buildAuthBlock(hash(signing))) },
    chain: chainOf(card, card.state.sign!.certificate, 'sign'),
    expected: 'invalid',
  });

  const swapped = nonce();
  add({
    name: 'certificate-swapped',
    why: "the card's valid signature presented with another trusted card's certificate",
    origin: ORIGIN,
    challengeNonce: swapped,
    token: { ...(await card.authenticate({ origin: ORIGIN, challengeNonce: swapped })), unverifiedCertificate: other.state.auth.certificate },
    chain: chainOf(other),
    expected: 'invalid',
  });

  const untrusted = nonce();
  add({
    name: 'untrusted-issuer',
    why: 'a well-formed token from a card whose CA is not a trust anchor',
    origin: ORIGIN,
    challengeNonce: untrusted,
    token: await stranger.authenticate({ origin: ORIGIN, challengeNonce: untrusted }),
    chain: chainOf(stranger),
    expected: 'invalid',
  });

  const old = nonce();
  add({
    name: 'certificate-expired',
    why: 'signed while the certificate was valid; it has expired at verifyAt',
    origin: ORIGIN,
    challengeNonce: old,
    token: await expired.authenticate({ origin: ORIGIN, challengeNonce: old }),
    chain: chainOf(expired),
    expected: 'invalid',
  });

  const format = nonce();
  add({
    name: 'unknown-format',
    why: 'a correct signature under a format this verifier does not know',
    origin: ORIGIN,
    challengeNonce: format,
    token: { ...(await card.authenticate({ origin: ORIGIN, challengeNonce: format })), format: 'jpki-bridge:2' },
    expected: 'invalid',
  });

  return {
    format: 'jpki-bridge-auth-token-vectors/1',
    description:
      "Login tokens (jpki-bridge:1) of the jpki-bridge virtual card and forgeries of them. A verifier trusting only trustAnchors, requiring authPolicyOid, at verifyAt, for each vector's origin and challengeNonce, must reach `expected`. Made by tools/dev/make-test-vectors.ts.",
    // After every certificate's notBefore (issued as the cards were made, after `now`).
    verifyAt: new Date().toISOString(),
    authPolicyOid: DEV_POLICY_OID.auth,
    // The signing issuer too, as a site that verifies logins and signatures trusts both: the
    // signing-certificate vector must then fail on the policy, not on the issuer.
    trustAnchors: [card.state.ca.auth, card.state.ca.sign, other.state.ca.auth, expired.state.ca.auth].map((ca) => toPem(ca.certificate)),
    vectors,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = await makeTestVectors();
  mkdirSync(dirname(TEST_VECTORS_FILE), { recursive: true });
  writeFileSync(TEST_VECTORS_FILE, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`${file.vectors.length} vectors → ${TEST_VECTORS_FILE}`);
}
