/**
 * The kit's "same person, new certificate" (tools/dev/card-renewal.ts): a renewed card is issued by
 * the same development CA, so a site's test verifier keeps trusting it, with new keys and new
 * certificates — the authentication certificate a site saw is gone — while the signing certificate
 * names the same person; with `person`, another person.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { renewedCardState } from '../../tools/dev/card-renewal.ts';
import { createVirtualCard, type InProcessVirtualCard } from '../../tools/dev/in-process-card.ts';

const ORIGIN = 'https://city.example.jp';
let card: InProcessVirtualCard;
let verifier: JpkiVerifier;

beforeAll(async () => {
  card = await createVirtualCard({ persona: 'adult' });
  verifier = new JpkiVerifier({
    trustAnchors: trustAnchorsFrom(card.developmentCa, 'dev CA'),
    policies: JPKI_TEST_POLICY_OIDS,
    origin: ORIGIN,
    revocation: 'not-checked',
  });
}, 60_000);

/** The login's certificate fingerprint and the signing certificate's holder, both as the verifier reports them. */
async function seenBy(subject: InProcessVirtualCard) {
  const nonce = await verifier.issueNonce();
  const login = await verifier.verifyAuthToken(await subject.authenticate({ origin: ORIGIN, challengeNonce: nonce }), { nonce });
  const hash = createHash('sha256').update('link').digest();
  const { certificate, signatures } = await subject.sign({ hashes: [hash], hashFunction: 'SHA-256' });
  const signed = await verifier.verifySignature({ hash, hashFunction: 'SHA-256', signature: signatures[0]!, certificate });
  if (!login.ok || !signed.ok) throw new Error(`refused: ${JSON.stringify({ login, signed })}`);
  return { fingerprint: login.certificateInfo.fingerprint256, name: signed.holder.name, dateOfBirth: signed.holder.dateOfBirth };
}

describe('renewedCardState', () => {
  it('gives the same person a new authentication certificate from the same development CA', async () => {
    const renewed = await createVirtualCard({ state: await renewedCardState(card.state) });
    expect(renewed.developmentCa).toBe(card.developmentCa);
    expect(renewed.state.auth.key).not.toBe(card.state.auth.key);
    const [before, after] = [await seenBy(card), await seenBy(renewed)];
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after).toMatchObject({ name: before.name, dateOfBirth: before.dateOfBirth });
    expect(before).toMatchObject({ name: 'デジタル 太郎', dateOfBirth: '1985-04-01' });
  });

  it('with a person, issues another resident a card the same verifier accepts', async () => {
    const other = await createVirtualCard({ state: await renewedCardState(card.state, { name: 'マイナ 花子', birth: '1992-08-15' }) });
    expect(await seenBy(other)).toMatchObject({ name: 'マイナ 花子', dateOfBirth: '1992-08-15' });
  });
});
