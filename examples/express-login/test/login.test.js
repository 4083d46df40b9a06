import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startJpkiTest } from '@jpki-bridge/testing';
import { startSite } from '../site.js';

const jpki = await startJpkiTest({ persona: 'adult' });
const site = await startSite({ developmentCa: jpki.developmentCa });
after(async () => { await jpki.close(); await site.close(); });

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
