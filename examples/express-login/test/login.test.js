import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startJpkiTest } from '@jpki-bridge/testing';
import { startSite } from '../site.js';

const jpki = await startJpkiTest({ persona: 'adult' });
const site = await startSite({ developmentCa: jpki.developmentCa });
after(async () => {
  await jpki.close();
  await site.close();
});

test('a resident logs in with the card and the PIN', async () => {
  const page = await jpki.openPage(site.url);
  await page.click('#login');
  await jpki.enterPin(jpki.pins.auth);
  const welcome = await page.waitForSelector('#welcome:not([hidden])');
  assert.match(await welcome.evaluate((node) => node.textContent), /Welcome: .*CN=/);
});

test('a resident who cancels the PIN dialog is not logged in', async () => {
  const page = await jpki.openPage(site.url);
  await page.click('#login');
  await jpki.cancel();
  const error = await page.waitForSelector('#error:not([hidden])');
  assert.match(await error.evaluate((node) => node.textContent), /キャンセル|cancel/i);
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
