/**
 * Shared set-up of the extension's end-to-end tests: pcscd, a virtual card in reader 00 00,
 * the fixture server and Chromium with the real host (`--card pcsc`) — or, for the tests of the
 * extension alone, the fixture server and Chromium only.
 */
import { execFile } from 'node:child_process';
import { constants, createHash, publicDecrypt, X509Certificate } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { type ChromiumOptions, type ChromiumSession, launchChromium } from '../../tools/dev/chromium.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import type { Persona } from '../../tools/dev/personas.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';

const execFileAsync = promisify(execFile);

export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** The fixture server and Chromium: all a test of the extension alone needs (with `host: false`, no card). */
export interface Browsing {
  server: StaticServer;
  session: ChromiumSession;
  /** A new tab at `fixture`, from the fixture server or another `origin` serving the same files. */
  open(fixture: string, origin?: string): Promise<Page>;
  close(): Promise<void>;
}

export interface E2E extends Browsing {
  card: ServedCard;
  /** Replaces the card with a fresh one (full tries) of `persona`. */
  freshCard(persona?: Persona): Promise<void>;
}

export async function startBrowsing(options: ChromiumOptions = {}): Promise<Browsing> {
  const server = await serveStatic({ root: FIXTURES });
  try {
    const session = await launchChromium(options);
    return {
      server,
      session,
      open: (fixture, origin = server.url) => session.openPage(`${origin}/${fixture}`),
      async close() {
        await session.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

export async function startE2E(options: ChromiumOptions & { persona?: Persona } = {}): Promise<E2E> {
  await ensurePcscd();
  let card = await serveCard({ stateFile: await createCardState({ persona: options.persona ?? 'adult' }), port: 35963 });
  const browsing = await startBrowsing(options);
  const e2e: E2E = {
    ...browsing,
    card,
    async freshCard(persona = 'adult') {
      await card.stop();
      card = await serveCard({ stateFile: await createCardState({ persona }), port: 35963 });
      e2e.card = card;
    },
    async close() {
      await browsing.close();
      await card.stop();
    },
  };
  return e2e;
}

export type CallResult<T = any> = { ok: true; result: T } | { ok: false; code: string; message: string; retriesLeft?: number; isJpkiError: boolean };

/** Starts `window.run(...args)` in the page without waiting (the dialog must be answered first). */
export function run<T = any>(page: Page, fn = 'run', ...args: unknown[]): Promise<CallResult<T>> {
  return page.evaluate((name, a) => (window as any)[name](...a), fn, args) as Promise<CallResult<T>>;
}

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
}

/**
 * The test's own check of a login token (shared/src/auth-token.ts), with nothing but Node's crypto:
 * the signature, opened with the certificate's key, is exactly the labelled block over
 * SHA-256(SHA-256(origin) ‖ SHA-256(nonce)).
 */
export function verifyToken(
  token: { format: string; algorithm: string; unverifiedCertificate: string; signature: string },
  origin: string,
  nonce: string,
): boolean {
  if (token.format !== AUTH_TOKEN_FORMAT || token.algorithm !== AUTH_TOKEN_ALGORITHM) return false;
  const certificate = new X509Certificate(Buffer.from(token.unverifiedCertificate, 'base64'));
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();
  const block = buildAuthBlock(sha256(Buffer.concat([sha256(origin), sha256(nonce)])));
  let opened: Buffer;
  try {
    opened = publicDecrypt({ key: certificate.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(token.signature, 'base64'));
  } catch {
    return false; // not a signature by this key at all
  }
  return opened.equals(Buffer.from(block));
}

/** The test's own portal combination code: SHA-256(salt ‖ manufacture number ‖ uuid's 16 bytes). */
export function combinationCode(manufactureNumber: string, uuid: string): string {
  return createHash('sha256')
    .update(Buffer.from('2e71f6620bc654ced494e5ec34fe03c8', 'hex'))
    .update(Buffer.from(manufactureNumber, 'ascii'))
    .update(Buffer.from(uuid, 'hex'))
    .digest('hex');
}

/** Command APDUs of VERIFY with a PIN (INS 20, Lc > 0) in the card's trace. */
export async function verifyCommands(card: ServedCard): Promise<string[]> {
  return (await card.traceCommands()).filter((apdu) => /^00200080[0-9a-f]{2}/.test(apdu) && apdu.length > 8);
}

export async function dialogText(dialog: Page, selector: string): Promise<string> {
  return dialog.$eval(selector, (el) => el.textContent ?? '');
}

/**
 * Copies a screenshot the run took into docs/screenshots/<name>, only when asked:
 * `JPKI_BRIDGE_DOCS_SCREENSHOTS=1 npx vitest run --project system <file>` refreshes the docs'
 * pictures; a plain test run leaves the tracked files as they are. ImageMagick writes it with a
 * 256-colour palette (PNG8): flat UI, half the bytes, no visible loss.
 */
export async function toDocs(file: string, name: string): Promise<void> {
  if (!process.env.JPKI_BRIDGE_DOCS_SCREENSHOTS) return;
  const docs = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
  await mkdir(docs, { recursive: true });
  await execFileAsync('convert', [file, '-colors', '256', `PNG8:${docs}${name}`]);
}

/** A full-page screenshot into test-output/screenshots/<name>.png (the dialog at its window size). */
export async function screenshot(page: Page, name: string, viewport?: { width: number; height: number }): Promise<void> {
  const dir = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
  await mkdir(dir, { recursive: true });
  if (viewport) await page.setViewport(viewport);
  await page.screenshot({ path: `${dir}${name}.png`, fullPage: true });
}
