// The rules of login-flow.js without a browser: the virtual card in process (createVirtualCard)
// gives the same tokens and signatures the extension would, and a plain object is the session.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { createVirtualCard, renewedCardState } from '@jpki-bridge/testing';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '@jpki-bridge/verifier';
import { createLoginFlow } from '../login-flow.js';

const origin = 'https://city.example.jp';
const card = await createVirtualCard({ persona: 'adult' });
const renewed = await createVirtualCard({ state: await renewedCardState(card.state) });
const otherPerson = await createVirtualCard({ state: await renewedCardState(card.state, { name: 'マイナ 花子', birth: '1992-08-15' }) });
let flow;
beforeEach(() => {
  const verifier = new JpkiVerifier({
    origin,
    trustAnchors: trustAnchorsFrom(card.developmentCa, 'development CA'),
    policies: JPKI_TEST_POLICY_OIDS,
    revocation: 'not-checked',
  });
  flow = createLoginFlow({ verifier, origin });
});

/** A login with `withCard` in a new session: the flow's answer, and the session for the next steps. */
async function logIn(withCard) {
  const session = {};
  const { body } = await flow.loginNonce(session);
  const token = await withCard.authenticate({ origin, challengeNonce: body.nonce });
  return { session, answer: await flow.login(session, { token }) };
}
/** The signing step after CARD_NOT_LINKED: `step` is flow.createAccount or flow.linkCard. */
async function signWith(withCard, session, step) {
  const { body } = flow.linkChallenge(session);
  const { certificate, signatures } = await withCard.sign({ hashes: [body.hash], hashFunction: 'SHA-256', origin });
  return step(session, { certificate, signature: signatures[0] });
}
async function signUp(withCard) {
  const { session } = await logIn(withCard);
  return signWith(withCard, session, flow.createAccount);
}

test('an unknown card is not logged in: CARD_NOT_LINKED, and the signing step creates its account', async () => {
  const { session, answer } = await logIn(card);
  assert.deepEqual(answer, { status: 409, body: { error: 'CARD_NOT_LINKED' } });
  const created = await signWith(card, session, flow.createAccount);
  assert.equal(created.status, 200);
  assert.deepEqual(created.body, { account: created.accountId, name: 'デジタル 太郎', linked: true });
});

test('a linked card logs in with the authentication token alone', async () => {
  const { accountId } = await signUp(card);
  const { answer } = await logIn(card);
  assert.equal(answer.status, 200);
  assert.equal(answer.accountId, accountId);
  assert.equal(answer.body.linked, false);
});

test('a renewed card is re-linked to the account, and the old card logs in no more', async () => {
  const { accountId } = await signUp(card);
  const { session, answer } = await logIn(renewed);
  assert.equal(answer.body.error, 'CARD_NOT_LINKED');
  const linked = await signWith(renewed, session, flow.linkCard);
  assert.equal(linked.accountId, accountId);
  assert.equal((await logIn(renewed)).answer.accountId, accountId);
  assert.equal((await logIn(card)).answer.body.error, 'CARD_NOT_LINKED');
});

test('the same person cannot open a second account with a renewed card', async () => {
  await signUp(card);
  assert.deepEqual(await signUp(renewed), { status: 409, body: { error: 'ACCOUNT_EXISTS' } });
});

test("another person's card is refused the account, and can open its own", async () => {
  const { accountId } = await signUp(card);
  const { session } = await logIn(otherPerson);
  assert.deepEqual(await signWith(otherPerson, session, flow.linkCard), { status: 403, body: { error: 'NO_ACCOUNT_FOR_HOLDER' } });
  const own = await signUp(otherPerson);
  assert.equal(own.status, 200);
  assert.notEqual(own.accountId, accountId);
});

test("a signature over anything but the session's challenge is refused, and the challenge is single-use", async () => {
  const { session } = await logIn(card);
  flow.linkChallenge(session);
  const { certificate, signatures } = await card.sign({ hashes: [Buffer.alloc(32, 7)], hashFunction: 'SHA-256', origin });
  assert.deepEqual(await flow.createAccount(session, { certificate, signature: signatures[0] }), { status: 401, body: { error: 'SIGNATURE_INVALID' } });
  assert.deepEqual(await flow.createAccount(session, { certificate, signature: signatures[0] }), { status: 401, body: { error: 'NO_LINK_CHALLENGE' } });
});

test('the challenge is given only after a verified login of an unlinked card, once', async () => {
  assert.deepEqual(flow.linkChallenge({}), { status: 401, body: { error: 'NO_UNLINKED_CARD' } });
  const { session } = await logIn(card);
  assert.equal(flow.linkChallenge(session).status, 200);
  assert.deepEqual(flow.linkChallenge(session), { status: 401, body: { error: 'NO_UNLINKED_CARD' } });
});
