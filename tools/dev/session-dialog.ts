/**
 * The PIN dialog of a testing-kit session, followed across calls: a test reads what the open
 * dialog shows, presses 再試行 or 閉じる in it, then types the PIN into the same window. The
 * window a call acts on is the one open now that no PIN was submitted to and that was not
 * closed, else the next one to open (pin-dialog.ts waitForDialog).
 *
 *   await page.click('#login');
 *   await dialogs.state();      // { phase: 'failed', error: 'ERR_JPKI_NO_CARD', retryable: true }
 *   await insertCard(); await dialogs.retry(); await dialogs.enterPin('1234');
 */
import type { Browser, Page } from 'puppeteer-core';
import type { ErrorCode } from '@jpki-bridge/shared/errors';
import type { DialogPhase } from '../../extension/src/dialog-protocol.ts';
import { cancel, clickClosing, enterPin, waitForDialog } from './pin-dialog.ts';

/** What the dialog shows: its phase, the error it states (a documented code), and whether it offers 再試行. */
export interface DialogState {
  phase: DialogPhase;
  error: ErrorCode | null;
  retryable: boolean;
}

export interface SessionDialogs {
  state(): Promise<DialogState>;
  enterPin(pin: string, options?: { confirmLastTry?: boolean }): Promise<void>;
  cancel(): Promise<void>;
  retry(): Promise<DialogState>;
  close(): Promise<void>;
}

export function sessionDialogs(browser: Browser, timeoutMs: number): SessionDialogs {
  let open: Page | null = null;
  const current = async () => {
    if (!open || open.isClosed()) open = await waitForDialog(browser, { timeoutMs });
    return open;
  };
  /** The call ends this window's use for the test: the next call waits for a new window. */
  const finishing = async <T>(act: (dialog: Page) => Promise<T>): Promise<T> => {
    const dialog = await current();
    open = null;
    return act(dialog);
  };
  return {
    state: async () => readState(await current()),
    enterPin: (pin, options) => finishing((dialog) => enterPin(dialog, pin, options)),
    cancel: () => finishing(cancel),
    async retry() {
      const dialog = await current();
      if (!(await dialog.$('#retry'))) throw new Error(`the PIN dialog offers no 再試行: it shows ${JSON.stringify(await readState(dialog))}`);
      await dialog.click('#retry');
      // It checks the card again (phase `checking`, a DOM change mutation polling cannot miss), then shows the answer.
      await dialog.waitForFunction(() => document.querySelector('main')?.getAttribute('data-phase') !== 'failed', { polling: 'mutation', timeout: timeoutMs });
      await dialog.waitForSelector('main:not([data-phase=checking])', { timeout: timeoutMs });
      return readState(dialog);
    },
    close: () =>
      finishing(async (dialog) => {
        if (!(await dialog.$('#close')))
          throw new Error(`the PIN dialog has no 閉じる: it shows ${JSON.stringify(await readState(dialog))} (cancel() ends a dialog that asks for a PIN)`);
        await clickClosing(dialog, '#close');
      }),
  };
}

async function readState(dialog: Page): Promise<DialogState> {
  return dialog.$eval('main', (main) => ({
    phase: main.getAttribute('data-phase') as DialogPhase,
    error: (main.querySelector('[data-testid=error]')?.getAttribute('data-error') ?? null) as ErrorCode | null,
    retryable: main.querySelector('#retry') !== null,
  }));
}
