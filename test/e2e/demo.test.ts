/**
 * The demo sites end to end: Chromium with the built extension, the real host (`--card pcsc`),
 * the virtual card behind pcscd + vpcd, the demo server with its verifier. Each flow goes from a
 * click to the server's verdict, with the PIN typed into the extension's dialog.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ChromiumSession } from '../../tools/dev/chromium.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { enterPin } from '../../tools/dev/pin-dialog.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { createDemoVerifier } from '../../demo/verifier-setup.ts';
import { walkFiling, walkLogin, walkPortalLogin, type WalkOptions } from '../../demo/walkthrough.ts';
import { verifyDetachedXmlSignature } from '../../relying-party/src/index.ts';
import { makeSamplePdf } from '../../tools/dev/sample-pdf.ts';
import { peer } from '../harness/document-peers.ts';
import { screenshot } from './extension-setup.ts';

let pcscd: Awaited<ReturnType<typeof ensurePcscd>>;
let card: ServedCard;
let server: DemoServer;
let session: ChromiumSession;
let walk: WalkOptions;
let persona: { name: string; address: string };

beforeAll(async () => {
  pcscd = await ensurePcscd();
  const stateFile = await createCardState({ persona: 'adult' });
  persona = (JSON.parse(await readFile(stateFile, 'utf8')) as { persona: { name: string; address: string } }).persona;
  card = await serveCard({ stateFile, port: 35963 });
  // The verifier trusts this card's development CA only.
  server = await startDemoServer({
    port: 0,
    createVerifier: async (origin) => (await createDemoVerifier({ origin, cardStateFile: stateFile })).verifier,
  });
  session = await launchChromium({ lang: 'ja', host: { card: 'pcsc' } });
  await session.allowPortalOrigin(server.url);
  walk = { browser: session.browser, baseUrl: server.url, pins: VIRTUAL_PINS, screenshotDir: null };
}, 900_000); // serveCard waits for the cross-process reader lock: other files' tests may hold the readers for minutes

afterAll(async () => {
  await session?.close();
  await server?.close();
  await card?.stop();
  await pcscd?.stop();
});

describe('demo sites', () => {
  it('logs in with jpki:authenticate: the server verifies the token and shows the certificate subject', async () => {
    const verdict = await walkLogin(walk);
    expect(verdict, verdict.detail).toMatchObject({ ok: true });
    expect(verdict.detail).toMatch(/subject C=JP/);
  });

  it('logs in with the portal-compatible launchApp mode 01 on the allow-listed demo origin, and shows the uuid and combination code it received', async () => {
    const verdict = await walkPortalLogin(walk);
    expect(verdict, verdict.detail).toMatchObject({ ok: true });
    expect(verdict.detail).toMatch(/uuid [0-9a-f]{32}, combination code [0-9a-f]{16}…/);
  });

  it('files an e-Tax-like return: the filer from the card face (mode 04), XMLDSig verified, the signer’s name and address from the signing certificate', async () => {
    const verdict = await walkFiling(walk);
    expect(verdict, verdict.detail).toMatchObject({ ok: true });
    expect(verdict.detail).toContain(`filer (card face) ${persona.name} / ${persona.address}`);
    expect(verdict.detail).toContain(`signer ${persona.name}, ${persona.address}`);
  });

  it("serves the signed XML for download in e-Tax's detached layout, and it verifies", async () => {
    const page = await session.openPage(`${server.url}/etax`);
    try {
      const pending = page.waitForSelector('[data-testid="result"]:not([hidden])', { timeout: 60_000 });
      await page.click('#sign');
      await enterPin(await session.waitForDialog(), VIRTUAL_PINS.sign);
      await pending;
      const xml = await page.evaluate(async () => {
        const href = (document.getElementById('download') as HTMLAnchorElement).href;
        return (await fetch(href)).text();
      });
      expect(verifyDetachedXmlSignature(xml).valid).toBe(true);
      expect(xml).toMatch(/<\/TaxReturn><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*<Reference URI="#TaxReturn-/);
      expect(verifyDetachedXmlSignature(xml.replace('<Income currency="JPY">', '<Income currency="JPY">1')).valid).toBe(false);
    } finally {
      await page.close();
    }
  });

  it('refuses a card whose CA the site does not trust (UNTRUSTED_CERTIFICATE shown to the user)', async () => {
    await card.stop();
    card = await serveCard({ stateFile: await createCardState({ persona: 'adult' }), port: 35963 });
    const verdict = await walkLogin(walk);
    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toContain('UNTRUSTED_CERTIFICATE');
  });

  it('"PDF に電子署名": upload, one PIN dialog, the server verifies and names the signer, and pdfsig finds the downloaded PDF valid', async () => {
    const page = await session.openPage(`${server.url}/pdf`);
    try {
      const upload = join(tmpdir(), `jpki-demo-${Date.now()}.pdf`);
      await writeFile(upload, makeSamplePdf({ text: 'Demo application form' }));
      const input = await page.$('#pdf-file');
      await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(upload);
      await screenshot(page, 'demo-pdf-upload');
      const pending = page.waitForSelector('[data-testid="result"]:not([hidden])', { timeout: 60_000 });
      await page.click('#sign');
      const dialog = await session.waitForDialog();
      await screenshot(dialog, 'demo-pdf-pin-dialog');
      await enterPin(dialog, VIRTUAL_PINS.sign);
      await pending;
      await screenshot(page, 'demo-pdf-signed');
      expect(await page.$eval('[data-testid="holder-name"]', (e) => e.textContent)).toBe(persona.name);
      const pdf = await page.evaluate(async () => {
        const href = (document.getElementById('download') as HTMLAnchorElement).href;
        return Array.from(new Uint8Array(await (await fetch(href)).arrayBuffer()));
      });
      const signedFile = upload.replace(/\.pdf$/, '-signed.pdf');
      await writeFile(signedFile, Uint8Array.from(pdf));
      const pdfsig = await peer('pdfsig', [signedFile]);
      expect(pdfsig.out).toMatch(/Signature Validation: Signature is Valid\./);
      expect(pdfsig.out).toMatch(/Total document signed/);
    } finally {
      await page.close();
    }
  });
});
