/**
 * @jpki-bridge/testing: a site's own end-to-end tests against a virtual My Number card, with the
 * real extension in real Chromium and the real host — the developer tools of this repository
 * (tools/dev), packaged. One call starts everything; `close()` (or `await using`) ends it.
 *
 *   const jpki = await startJpkiTest({ persona: 'adult' });
 *   const page = await jpki.openPage('http://localhost:3000/');
 *   await page.click('#login');               // a user's click: the extension wants one
 *   await jpki.enterPin(jpki.pins.auth);      // types into the extension's PIN dialog
 *   await jpki.close();
 *
 * The card sits behind pcscd + vpcd when both are installed (the host then talks PC/SC exactly
 * as with a real reader), else inside the mock host (`jpki-bridge host --card virtual:FILE`).
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { devCaRoots } from '../../../native-host/src/virtual-card/dev-ca.ts';
import { devCaCrls } from '../../../native-host/src/virtual-card/dev-crl.ts';
import { loadCardState, saveCardState } from '../../../native-host/src/virtual-card/state-file.ts';
import { renewedCardState, type CardHolder } from '../../../tools/dev/card-renewal.ts';
import { launchChromium, type ChromiumSession } from '../../../tools/dev/chromium.ts';
import { ensurePcscd, pcscInstalled } from '../../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS, type Persona } from '../../../tools/dev/personas.ts';
import { cancel, enterPin, waitForDialog } from '../../../tools/dev/pin-dialog.ts';
import { createCardState, serveCard, type ServedCard } from '../../../tools/dev/virtual-card.ts';

export type { CardHolder, Persona };
// The same resident's next card (renewal, reissue), or another resident's, from the same development CA.
export { renewedCardState } from '../../../tools/dev/card-renewal.ts';
// Without a browser: the same card and the host's own command code, in process (unit tests of a site's endpoints).
export {
  createVirtualCard,
  type AuthenticateInput,
  type InProcessVirtualCard,
  type SignInput,
  type VirtualCardOptions,
} from '../../../tools/dev/in-process-card.ts';

/** `pcsc`: the card in a vpcd reader behind pcscd. `mock`: the card inside the host process, no PC/SC. */
export type CardPath = 'pcsc' | 'mock';

export interface JpkiTestOptions {
  /** Who the card is (personas.ts): `adult` (default), `minor`, `expired`, `auth-pin-locked`, `sign-pin-locked`, `revoked`, `moved`. */
  persona?: Persona;
  /** Default: JPKI_TESTING_CARD (`pcsc` or `mock`) if set, else `pcsc` when pcscd and vpcd are installed, else `mock`. */
  card?: CardPath;
  /** The browser to start (Chromium, Chrome for Testing, Google Chrome). Default `$CHROME_PATH`, else `/usr/bin/chromium`. */
  chromium?: string;
  /** The browser's language, which the PIN dialog follows. Default `ja`. */
  lang?: 'ja' | 'en';
  /** Default true. */
  headless?: boolean;
  /** How long enterPin()/cancel() wait for the PIN dialog. Default 30 s. */
  dialogTimeoutMs?: number;
}

export interface JpkiTestSession extends AsyncDisposable {
  readonly persona: Persona;
  readonly card: CardPath;
  /** The virtual card's PINs as created: `auth` (4 digits), `sign` (6–16 letters and digits), … */
  readonly pins: typeof VIRTUAL_PINS;
  /**
   * The virtual card's development CA (authentication and signing issuers), PEM. A site's verifier
   * trusts it in tests (with the test policy OIDs); production sites trust the J-LIS roots only.
   */
  readonly developmentCa: string;
  /** The development CA's CRLs (DER): what a test verifier's CrlRevocationChecker is given (`revoked`, `moved` personas). */
  crls(now?: Date): Buffer[];
  readonly browser: Browser;
  /** A new tab at `url`, loaded. */
  openPage(url: string): Promise<Page>;
  /** Waits for the next PIN dialog, types `pin` and submits it, as a user does. */
  enterPin(pin: string, options?: { confirmLastTry?: boolean }): Promise<void>;
  /** Waits for the next PIN dialog and presses Cancel: the page's call fails with ERR_JPKI_USER_CANCELLED. */
  cancel(): Promise<void>;
  /**
   * Takes the card out and puts in the same resident's next card — new keys and certificates
   * from the same development CA, as after renewal or a reissue: a new authentication certificate,
   * the same name and date of birth in the signing certificate. With `person`, another resident's
   * card instead. `developmentCa` stays the same; `crls()` follows the new card.
   */
  replaceCard(person?: CardHolder): Promise<void>;
  /** Closes the browser, removes the card and the profile; stops a pcscd started for the session. */
  close(): Promise<void>;
}

export async function startJpkiTest(options: JpkiTestOptions = {}): Promise<JpkiTestSession> {
  const persona = options.persona ?? 'adult';
  const card: CardPath = options.card ?? cardFromEnvironment() ?? (pcscInstalled() ? 'pcsc' : 'mock');
  const timeoutMs = options.dialogTimeoutMs ?? 30_000;
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    // Newest first: the browser before the card, the card before pcscd.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const stateFile = await createCardState({ persona });
    cleanups.push(() => rm(dirname(stateFile), { recursive: true, force: true }));
    // The host is told the one reader the card was served into (`--card pcsc:READER`): a real
    // card in another reader never gets the virtual PINs, even if the virtual card goes away.
    let hostCard = `virtual:${stateFile}`;
    let servedCard: ServedCard | undefined;
    if (card === 'pcsc') {
      const pcscd = await ensurePcscd();
      cleanups.push(() => pcscd.stop());
      const served = await serveCard({ stateFile });
      cleanups.push(() => served.stop());
      hostCard = `pcsc:${served.readerName}`;
      servedCard = served;
    }
    const chromium: ChromiumSession = await launchChromium({
      lang: options.lang ?? 'ja',
      headless: options.headless ?? true,
      host: { card: hostCard },
      ...(options.chromium ? { executablePath: options.chromium } : {}),
    });
    cleanups.push(() => chromium.close());
    let cardState = await loadCardState(stateFile);
    const roots = devCaRoots(cardState);
    const session: JpkiTestSession = {
      persona,
      card,
      pins: VIRTUAL_PINS,
      developmentCa: roots.auth + roots.sign,
      crls: (now) => devCaCrls(cardState, now),
      browser: chromium.browser,
      openPage: (url) => chromium.openPage(url),
      enterPin: async (pin, pinOptions) => enterPin(await waitForDialog(chromium.browser, { timeoutMs }), pin, pinOptions),
      cancel: async () => cancel(await waitForDialog(chromium.browser, { timeoutMs })),
      replaceCard: async (person) => {
        // Pulled before the file changes: `serve` writes its counters back to the same file.
        await servedCard?.pull();
        cardState = await renewedCardState(await loadCardState(stateFile), person);
        await saveCardState(stateFile, cardState);
        await servedCard?.insert();
      },
      close,
      [Symbol.asyncDispose]: close,
    };
    return session;
  } catch (error) {
    await close();
    throw error;
  }
}

/** A CI job picks the path for every test file at once, without editing them. */
function cardFromEnvironment(): CardPath | undefined {
  const value = process.env.JPKI_TESTING_CARD;
  if (value === undefined || value === '') return undefined;
  if (value === 'pcsc' || value === 'mock') return value;
  throw new Error(`JPKI_TESTING_CARD must be "pcsc" or "mock", not "${value}"`);
}
