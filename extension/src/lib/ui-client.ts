/** Extension pages → background (`ui` channel), with errors rebuilt as JpkiError. */
import { JpkiError, deserializeError } from '@jpki-bridge/shared/errors';
import { browser } from './browser.ts';
import type { Outcome, UiMessage } from '../messages.ts';

export async function askBackground<T>(message: UiMessage): Promise<T> {
  let outcome: Outcome<T> | undefined;
  try {
    outcome = (await browser.runtime.sendMessage(message)) as Outcome<T> | undefined;
  } catch {
    throw new JpkiError('ERR_JPKI_UNKNOWN');
  }
  if (!outcome) throw new JpkiError('ERR_JPKI_UNKNOWN');
  if (!outcome.ok) throw deserializeError(outcome.error);
  return outcome.result;
}
