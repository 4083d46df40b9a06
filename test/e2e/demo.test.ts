/**
 * The demo sites end to end: Chromium with the built extension, the real host (`--card pcsc`),
 * the virtual card behind pcscd + vpcd, the demo server with its verifier. Each flow goes from a
 * click to the server's verdict, with the PIN typed into the extension's dialog.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ChromiumSession } from '../../tools/dev/chromium.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { enterPin } from '../../tools/dev/pin-dialog.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { createDemoVerifier } from '../../demo/verifier-setup.ts';
import { walkFiling, walkLogin, walkPortalLogin, type WalkOptions } from '../../demo/walkthrough.ts';
import { verifyXmlSignature } from '../../relying-party/src/index.ts';

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
});

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

  it('serves the signed XML for download, and it verifies with xml-crypto', async () => {
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
      expect(verifyXmlSignature(xml).valid).toBe(true);
      expect(verifyXmlSignature(xml.replace('<Income currency="JPY">', '<Income currency="JPY">1')).valid).toBe(false);
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
});
