import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startJpkiTest } from '@jpki-bridge/testing';
import { startSite } from '../site.js';

// Through Chromium, the extension and the host: the steps a resident takes. The extension allows
// an origin 10 PIN dialogs a minute, so the rules of login-flow.js are tested without a browser
// beside this (login-flow.test.js); here, each path once.

const jpki = await startJpkiTest({ persona: 'adult' });
const site = await startSite({ developmentCa: jpki.developmentCa });
after(async () => {
  await jpki.close();
  await site.close();
});

const textOf = async (page, selector) => (await page.waitForSelector(selector)).evaluate((node) => node.textContent);
/** Clicks Log in and enters the 4-digit PIN; resolves when the page shows the account or the linking choice. */
async function logIn() {
  const page = await jpki.openPage(site.url);
  await page.click('#login');
  await jpki.enterPin(jpki.pins.auth);
  await page.waitForSelector('#welcome:not([hidden]), #link:not([hidden]), #error:not([hidden])');
  return page;
}
/** Clicks `button` of the linking choice and enters the signing password; the account id, or the error shown. */
async function signToLink(page, button) {
  await page.click(button);
  await jpki.enterPin(jpki.pins.sign);
  const shown = await textOf(page, '#welcome:not([hidden]), #error:not([hidden])');
  return { account: /account ([0-9a-f-]{36})/.exec(shown)?.[1], shown };
}

let accountId;

test('a first login links the card: the signing certificate names the holder of a new account', async () => {
  const page = await logIn();
  assert.equal(await page.$eval('#link', (node) => node.hidden), false, 'an unknown card is offered the linking step');
  const { account, shown } = await signToLink(page, '#create-account');
  assert.ok(account, shown);
  assert.match(shown, /Welcome: デジタル 太郎/);
  accountId = account;
});

test('a renewed card (a new authentication certificate) is re-linked to the same account by the signing step', async () => {
  await jpki.replaceCard();
  const page = await logIn();
  assert.equal(await page.$eval('#link', (node) => node.hidden), false, 'the new certificate is linked to no account yet');
  assert.equal((await signToLink(page, '#link-card')).account, accountId);
  const again = await logIn();
  assert.match(await textOf(again, '#welcome'), new RegExp(`account ${accountId}`), 'the renewed card now logs in with the PIN alone');
});

test("another person's card is refused the account: name and date of birth differ", async () => {
  await jpki.replaceCard({ name: 'マイナ 花子', birth: '1992-08-15' });
  const page = await logIn();
  const { account, shown } = await signToLink(page, '#link-card');
  assert.equal(account, undefined);
  assert.match(shown, /NO_ACCOUNT_FOR_HOLDER/);
});

test('a resident who cancels the PIN dialog is not logged in', async () => {
  const page = await jpki.openPage(site.url);
  await page.click('#login');
  await jpki.cancel();
  assert.match(await textOf(page, '#error:not([hidden])'), /キャンセル|cancel/i);
});

test('a token made for a nonce issued to another browser does not log in (the nonce is bound to the session)', async () => {
  const page = await jpki.openPage(site.url);
  // In the victim's browser: a nonce for its session, and the card's token over it (a click: evaluate runs with a user gesture).
  const pending = page.evaluate(async () => {
    const { nonce } = await (await fetch('/login/nonce', { method: 'POST' })).json();
    const { authenticate } = await import('/jpki/index.js');
    return { nonce, token: await authenticate(nonce) };
  });
  await jpki.enterPin(jpki.pins.auth);
  const { nonce, token } = await pending;
  // Relayed to another client, with the nonce in the body and without the victim's cookie.
  const relayed = await fetch(`${site.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce, token }) });
  assert.equal(relayed.status, 401);
  assert.deepEqual(await relayed.json(), { error: 'NONCE_UNKNOWN' });
});

test('a signature is linked only against the challenge of the same session (never a hash from the body)', async () => {
  const linked = await fetch(`${site.url}/account/link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hash: 'AAAA', signature: 'AAAA', certificate: 'AAAA' }),
  });
  assert.equal(linked.status, 401);
  assert.deepEqual(await linked.json(), { error: 'NO_LINK_CHALLENGE' });
});
