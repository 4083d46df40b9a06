/**
 * The Mynaportal-compatible surface as real portal pages speak it (docs/PROTOCOL.md § Portal
 * surface), through Chromium, the real host and the virtual card behind pcscd: the hidden inputs'
 * compatibility levels, launchApp modes 01, 02, 04 and 05 with `service_id`, recvMsg answers with
 * the installation uuid and the combination code, failures that echo the page's request; nothing
 * at all on an origin off the allow-list.
 */
import { readFile } from 'node:fs/promises';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { cancel, enterPin } from '../../tools/dev/pin-dialog.ts';
import { combinationCode, type E2E, dialogText, screenshot, startE2E, toDocs, verifyCommands } from './extension-setup.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ lang: 'ja' });
  await e2e.session.allowPortalOrigin(e2e.server.url); // http://localhost:PORT, not 127.0.0.1
});
afterAll(async () => {
  await e2e?.close();
});

type Page = import('puppeteer-core').Page;
type Answer = Record<string, any>;

const SHA256_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const digestInfo = (data: string) => Buffer.concat([SHA256_PREFIX, createHash('sha256').update(data).digest()]).toString('base64');
const launch = (page: Page, detail: unknown, waitMs?: number) => page.evaluate((d, w) => (window as any).launch(d, w), detail, waitMs) as Promise<Answer>;
/** The certificate as the portal gets it: base64 DER without padding. */
const certificateOf = (answer: Answer) => {
  expect(answer.certificate).not.toContain('=');
  return new X509Certificate(Buffer.from(answer.certificate, 'base64'));
};
const fromHex = (hex: string) => Buffer.from(hex, 'hex').toString('utf8');
const dialogs = () => e2e.session.browser.targets().filter((target) => target.url().includes('/dialog.html'));
const cardState = async () => JSON.parse(await readFile(e2e.card.stateFile, 'utf8'));
const uuidFile = () => `${e2e.session.configHome}/jpki-bridge/installation-uuid`;

/** Every combination code the card of this file answered, by mode. */
const codes: string[] = [];

describe('portal surface', () => {
  it('sets the hidden inputs to the official extension’s and app’s levels (24, 29) on an allow-listed origin', async () => {
    const page = await e2e.open('portal.html');
    await page.waitForFunction(() => (window as any).inputs().app !== null, { timeout: 10_000 });
    expect(await page.evaluate(() => (window as any).inputs())).toEqual({ extension: '24', app: '29' });
    await page.close();
  });

  it('mode 01 signs the digest with the authentication key and answers uuid, signature, certificate and combination_code', async () => {
    const page = await e2e.open('portal.html');
    const pending = launch(page, { mode: '01', service_id: '01', digest: digestInfo('login challenge') });
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, '#origin')).toBe(e2e.server.url);
    expect(await dialog.$eval('[data-testid=site-badge]', (e) => e.getAttribute('data-site'))).toBe('development'); // allow-listed, yet http://localhost
    expect(await dialogText(dialog, 'label[for=pin]')).toContain('利用者証明用');
    await enterPin(dialog, VIRTUAL_PINS.auth);
    const answer = await pending;
    expect(Object.keys(answer)).toEqual(['mode', 'result', 'uuid', 'signature', 'certificate', 'combination_code']);
    expect(answer).toMatchObject({ mode: '01', result: '0' });
    const state = await cardState();
    const certificate = certificateOf(answer);
    expect(certificate.raw.toString('base64')).toBe(state.auth.certificate); // the authentication certificate
    expect(verify('sha256', Buffer.from('login challenge'), certificate.publicKey, Buffer.from(answer.signature, 'base64'))).toBe(true);
    const uuid = (await readFile(uuidFile(), 'utf8')).trim();
    expect(answer.uuid).toBe(uuid);
    expect(answer.combination_code).toBe(combinationCode(state.cardId.manufactureNumber, uuid));
    expect(JSON.stringify(answer)).not.toContain(state.cardId.manufactureNumber);
    codes.push(answer.combination_code);
    await page.close();
  });

  it('mode 02 with an array signs each digest with the signing key, one PIN entry', async () => {
    const page = await e2e.open('portal.html');
    const verifiesBefore = (await verifyCommands(e2e.card)).length;
    const pending = launch(page, { mode: '02', service_id: '01', digest: [digestInfo('doc 1'), digestInfo('doc 2')] });
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, '[data-testid=personal-data]')).toContain('氏名');
    await enterPin(dialog, VIRTUAL_PINS.sign);
    const answer = await pending;
    expect(Object.keys(answer)).toEqual(['mode', 'result', 'uuid', 'signature', 'certificate', 'combination_code']);
    expect(answer).toMatchObject({ mode: '02', result: '0', uuid: (await readFile(uuidFile(), 'utf8')).trim() });
    expect(answer.signature).toHaveLength(2);
    const certificate = certificateOf(answer);
    expect(certificate.raw.toString('base64')).toBe((await cardState()).sign.certificate); // the signing certificate
    expect(certificate.raw.includes(Buffer.from('デジタル 太郎', 'utf8'))).toBe(true);
    expect(verify('sha256', Buffer.from('doc 1'), certificate.publicKey, Buffer.from(answer.signature[0], 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from('doc 2'), certificate.publicKey, Buffer.from(answer.signature[1], 'base64'))).toBe(true);
    expect((await verifyCommands(e2e.card)).length - verifiesBefore).toBe(1);
    codes.push(answer.combination_code);
    await page.close();
  });

  it('mode 02 with a single string answers an array of one signature, as the reference client does', async () => {
    const page = await e2e.open('portal.html');
    const pending = launch(page, { mode: '02', service_id: '01', digest: digestInfo('one doc') });
    await enterPin(await e2e.session.waitForDialog(undefined, pending), VIRTUAL_PINS.sign);
    const answer = await pending;
    expect(answer).toMatchObject({ mode: '02', result: '0' });
    expect(answer.signature).toHaveLength(1);
    expect(verify('sha256', Buffer.from('one doc'), certificateOf(answer).publicKey, Buffer.from(answer.signature[0], 'base64'))).toBe(true);
    await page.close();
  });

  it('mode 04 names the text PIN and the four items in the dialog, a wrong PIN shows the tries left, and the answer is the card face as UTF-8 hex', async () => {
    const page = await e2e.open('portal.html');
    const pending = launch(page, { mode: '04', service_id: '01' });
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, 'label[for=pin]')).toContain('券面事項入力補助用暗証番号');
    const what = await dialogText(dialog, '[data-testid=what]');
    expect(what).toContain('券面事項');
    expect(what).toContain('個人番号 (マイナンバー) は読み取りません');
    expect(await dialogText(dialog, '[data-testid=personal-data]')).toContain('氏名・住所・生年月日・性別');
    expect(await dialogText(dialog, '[data-testid=tries]')).toContain('残り 3 回 (最大 3 回)');
    const shot = fileURLToPath(new URL('../../test-output/screenshots/portal-text-dialog.png', import.meta.url));
    await screenshot(dialog, 'portal-text-dialog');
    await toDocs(shot, 'portal-text-dialog.png');
    await enterPin(dialog, '9999');
    await dialog.waitForFunction(() => document.querySelector('[data-testid=error]')?.textContent?.includes('残り 2 回'), { timeout: 15_000 });
    await enterPin(dialog, VIRTUAL_PINS.text);
    const answer = await pending;
    expect(Object.keys(answer)).toEqual(['mode', 'result', 'uuid', 'name', 'sex', 'address', 'birthday', 'combination_code']);
    const { persona } = await cardState();
    expect({ name: fromHex(answer.name), address: fromHex(answer.address), birthday: fromHex(answer.birthday), sex: fromHex(answer.sex) }).toEqual({
      name: persona.name,
      address: persona.address,
      birthday: persona.birth.replaceAll('-', ''),
      sex: persona.sex,
    });
    expect(answer.name).toMatch(/^[0-9a-f]+$/);
    expect((await cardState()).pins.text.retriesLeft).toBe(3); // the right PIN restored the tries
    codes.push(answer.combination_code);
    await page.close();
  });

  it('mode 05 answers result "0" at once and opens no dialog', async () => {
    const page = await e2e.open('portal.html');
    expect(await launch(page, { mode: '05', service_id: '01' }, 10_000)).toEqual({ mode: '05', result: '0' });
    expect(dialogs()).toHaveLength(0);
    await page.close();
  });

  it('a cancelled dialog answers the page’s own request with result "1", errcode EW044-C300 and our code', async () => {
    const page = await e2e.open('portal.html');
    const request = { mode: '01', service_id: '01', digest: digestInfo('x') };
    const pending = launch(page, request);
    await cancel(await e2e.session.waitForDialog(undefined, pending));
    expect(await pending).toEqual({ ...request, result: '1', errcode: 'EW044-C300', jpki_error: 'ERR_JPKI_USER_CANCELLED' });
    await page.close();
  });

  it('a missing or other service_id answers result "1" without opening a PIN dialog, and a pin the page sent is not echoed', async () => {
    const page = await e2e.open('portal.html');
    const before = (await e2e.card.traceCommands()).length;
    const missing = await launch(page, { mode: '01', digest: digestInfo('x'), pin: '1234' }, 10_000);
    expect(missing).toEqual({ mode: '01', digest: digestInfo('x'), result: '1', errcode: 'EW044-C300', jpki_error: 'ERR_JPKI_INVALID_REQUEST' });
    const other = await launch(page, { mode: '04', service_id: '02' }, 10_000);
    expect(other).toEqual({ mode: '04', service_id: '02', result: '1', errcode: 'EW044-C300', jpki_error: 'ERR_JPKI_INVALID_REQUEST' });
    expect(dialogs()).toHaveLength(0);
    expect((await e2e.card.traceCommands()).length).toBe(before); // the card was not even asked
    await page.close();
  });

  it('the combination code is the same across calls and modes on one card, and differs on another card with the same uuid', async () => {
    expect(codes).toHaveLength(3);
    expect(new Set(codes).size).toBe(1);
    await e2e.freshCard(); // a second virtual card: another random manufacture number
    const page = await e2e.open('portal.html');
    const pending = launch(page, { mode: '01', service_id: '01', digest: digestInfo('second card') });
    await enterPin(await e2e.session.waitForDialog(undefined, pending), VIRTUAL_PINS.auth);
    const answer = await pending;
    expect(answer).toMatchObject({ mode: '01', result: '0', uuid: (await readFile(uuidFile(), 'utf8')).trim() });
    expect(answer.combination_code).not.toBe(codes[0]);
    expect(answer.combination_code).toBe(combinationCode((await cardState()).cardId.manufactureNumber, answer.uuid));
    await page.close();
  });

  it('is entirely absent on an origin that is not allow-listed', async () => {
    const other = e2e.server.url.replace('localhost', '127.0.0.1');
    const page = await e2e.open('portal.html', other);
    const answer = await launch(page, { mode: '01', service_id: '01', digest: digestInfo('x') }, 3_000);
    expect(answer).toEqual({ ignored: true });
    expect(await page.evaluate(() => (window as any).inputs())).toEqual({ extension: null, app: null });
    expect(dialogs()).toHaveLength(0);
    await page.close();
  });
});
