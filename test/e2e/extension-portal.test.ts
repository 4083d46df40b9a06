/**
 * The Mynaportal-compatible surface (docs/PROTOCOL.md): hidden inputs and launchApp → recvMsg on an
 * allow-listed origin; nothing at all on any other origin.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { cancel, enterPin } from '../../tools/dev/pin-dialog.ts';
import { type E2E, dialogText, startE2E } from './extension-setup.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ lang: 'ja' });
  await e2e.session.allowPortalOrigin(e2e.server.url); // http://localhost:PORT, not 127.0.0.1
});
afterAll(async () => {
  await e2e?.close();
});

const SHA256_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const digestInfo = (data: string) => Buffer.concat([SHA256_PREFIX, createHash('sha256').update(data).digest()]).toString('base64');
const launch = (page: import('puppeteer-core').Page, detail: unknown, waitMs?: number) =>
  page.evaluate((d, w) => (window as any).launch(d, w), detail, waitMs) as Promise<Record<string, any>>;

describe('portal surface', () => {
  it('sets the hidden inputs on an allow-listed origin', async () => {
    const page = await e2e.open('portal.html');
    await page.waitForFunction(() => (window as any).inputs().app !== null, { timeout: 10_000 });
    expect(await page.evaluate(() => (window as any).inputs())).toEqual({ extension: '0', app: '0.1.0' });
    await page.close();
  });

  it('mode 01 signs the DigestInfo with the authentication key', async () => {
    const page = await e2e.open('portal.html');
    const pending = launch(page, { mode: '01', digest: digestInfo('login challenge') });
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, '#origin')).toBe(e2e.server.url);
    expect(await dialog.$('[data-testid=trusted-badge]')).not.toBeNull();
    expect(await dialogText(dialog, 'label[for=pin]')).toContain('利用者証明用');
    await enterPin(dialog, VIRTUAL_PINS.auth);
    const answer = await pending;
    expect(answer).toMatchObject({ mode: '01', result: '0' });
    const certificate = new X509Certificate(Buffer.from(answer.certificate, 'base64'));
    expect(verify('sha256', Buffer.from('login challenge'), certificate.publicKey, Buffer.from(answer.signature, 'base64'))).toBe(true);
    await page.close();
  });

  it('mode 02 with an array signs each DigestInfo with the signing key, one PIN entry', async () => {
    const page = await e2e.open('portal.html');
    const pending = launch(page, { mode: '02', digest: [digestInfo('doc 1'), digestInfo('doc 2')] });
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    expect(await dialogText(dialog, '[data-testid=personal-data]')).toContain('氏名');
    await enterPin(dialog, VIRTUAL_PINS.sign);
    const answer = await pending;
    expect(answer).toMatchObject({ mode: '02', result: '0' });
    expect(answer.signature).toHaveLength(2);
    const der = Buffer.from(answer.certificate, 'base64');
    expect(der.includes(Buffer.from('デジタル 太郎', 'utf8'))).toBe(true);
    const key = new X509Certificate(der).publicKey;
    expect(verify('sha256', Buffer.from('doc 2'), key, Buffer.from(answer.signature[1], 'base64'))).toBe(true);
    await page.close();
  });

  it('a cancelled dialog answers result "1" with the error code', async () => {
    const page = await e2e.open('portal.html');
    const pending = launch(page, { mode: '01', digest: digestInfo('x') });
    const dialog = await e2e.session.waitForDialog(undefined, pending);
    await cancel(dialog);
    expect(await pending).toEqual({ mode: '01', result: '1', errcode: 'ERR_JPKI_USER_CANCELLED' });
    await page.close();
  });

  it('is entirely absent on an origin that is not allow-listed', async () => {
    const other = e2e.server.url.replace('localhost', '127.0.0.1');
    const page = await e2e.open('portal.html', other);
    const answer = await launch(page, { mode: '01', digest: digestInfo('x') }, 3_000);
    expect(answer).toEqual({ ignored: true });
    expect(await page.evaluate(() => (window as any).inputs())).toEqual({ extension: null, app: null });
    const dialogs = e2e.session.browser.targets().filter((t) => t.url().includes('/dialog.html'));
    expect(dialogs).toHaveLength(0);
    await page.close();
  });
});
