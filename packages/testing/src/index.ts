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
 * Error paths: `pullCard()`/`insertCard()` and `stopHost()` mid-test, `without: 'card' | 'reader' |
 * 'host'` at the start, `dialogState()` for what the PIN dialog shows.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { devCaRoots } from '../../../native-host/src/virtual-card/dev-ca.ts';
import { devCaCrls } from '../../../native-host/src/virtual-card/dev-crl.ts';
import { loadCardState } from '../../../native-host/src/virtual-card/state-file.ts';
import { renewedCardState, type CardHolder } from '../../../tools/dev/card-renewal.ts';
import { launchChromium, type ChromiumSession } from '../../../tools/dev/chromium.ts';
import { installMissingHostForChromium } from '../../../tools/dev/host-install.ts';
import { killHostProcesses } from '../../../tools/dev/host-process.ts';
import { pcscInstalled } from '../../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS, type Persona } from '../../../tools/dev/personas.ts';
import { type CardPath, sessionCard } from '../../../tools/dev/session-card.ts';
import { type DialogState, sessionDialogs } from '../../../tools/dev/session-dialog.ts';
import { createCardState } from '../../../tools/dev/virtual-card.ts';
import { checkWithout, type Without } from '../../../tools/dev/without.ts';

export type { CardHolder, CardPath, DialogState, Persona, Without };
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
  /**
   * Start without `card` (a reader, no card on it: `insertCard()` puts it there), without `reader`
   * (pcscd runs, no reader for the host; `card: 'pcsc'` only) or without `host` (the profile's host
   * manifest names a program that is not there, which also hides a host installed for every user).
   * Calls fail with ERR_JPKI_NO_CARD / ERR_JPKI_NO_READER / ERR_JPKI_NATIVE_UNAVAILABLE.
   */
  without?: Without;
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
  /** Types `pin` into the PIN dialog and submits it, as a user does (the open dialog, else the next to open). */
  enterPin(pin: string, options?: { confirmLastTry?: boolean }): Promise<void>;
  /** Presses Cancel in the PIN dialog: the page's call fails with ERR_JPKI_USER_CANCELLED. */
  cancel(): Promise<void>;
  /** What the PIN dialog shows once it has the card's answer: `{ phase, error, retryable }`, e.g. `failed`, `ERR_JPKI_NO_CARD`, true. */
  dialogState(): Promise<DialogState>;
  /** Presses 再試行 in a dialog that failed (no card, no reader …): it asks the host again; returns what it shows then. */
  retry(): Promise<DialogState>;
  /** Presses 閉じる in a dialog that failed or is locked: the page's call fails with the error it showed. */
  closeDialog(): Promise<void>;
  /** The card leaves its reader, as a resident pulls it (resolves once pcscd refuses connects to it: the next call finds no card). Nothing else stops. */
  pullCard(): Promise<void>;
  /** The same card back on its reader (PIN counters as they were). */
  insertCard(): Promise<void>;
  /**
   * Kills the native host processes running now (SIGKILL, as a crash). The extension runs a host per
   * operation (from the PIN dialog's opening to its end): the call in progress fails with
   * ERR_JPKI_NATIVE_UNAVAILABLE, the next call starts a new host. Throws when no host runs.
   */
  stopHost(): Promise<void>;
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
  const without = checkWithout(options.without);
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
    let cardState = await loadCardState(stateFile);
    const slot = await sessionCard(card, stateFile, without);
    cleanups.push(() => slot.stop());
    const chromium: ChromiumSession = await launchChromium({
      lang: options.lang ?? 'ja',
      headless: options.headless ?? true,
      host: without === 'host' ? false : { card: slot.hostCard },
      ...(options.chromium ? { executablePath: options.chromium } : {}),
    });
    cleanups.push(() => chromium.close());
    if (without === 'host') await installMissingHostForChromium(chromium.userDataDir);
    const roots = devCaRoots(cardState);
    const dialogs = sessionDialogs(chromium.browser, timeoutMs);
    const session: JpkiTestSession = {
      persona,
      card,
      pins: VIRTUAL_PINS,
      developmentCa: roots.auth + roots.sign,
      crls: (now) => devCaCrls(cardState, now),
      browser: chromium.browser,
      openPage: (url) => chromium.openPage(url),
      enterPin: (pin, pinOptions) => dialogs.enterPin(pin, pinOptions),
      cancel: () => dialogs.cancel(),
      dialogState: () => dialogs.state(),
      retry: () => dialogs.retry(),
      closeDialog: () => dialogs.close(),
      pullCard: () => slot.pull(),
      insertCard: () => slot.insert(),
      stopHost: async () => {
        if (without === 'host') throw new Error("this session has no host (without: 'host')");
        const killed = await killHostProcesses(chromium.browser.process()!.pid!);
        if (killed.length === 0)
          throw new Error('no host is running: the extension starts one per operation — stop it while one runs (the PIN dialog is open)');
      },
      replaceCard: async (person) => {
        cardState = await slot.replace((current) => renewedCardState(current, person));
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
