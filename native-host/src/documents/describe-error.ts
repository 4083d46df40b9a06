/** One line for the terminal: a card error with its code (and tries left), anything else by its message. */
import { JpkiError } from '@jpki-bridge/shared/errors';

export function describeError(error: unknown): string {
  if (error instanceof JpkiError) {
    const tries = error.retriesLeft !== undefined ? ` (残り ${error.retriesLeft} 回 / ${error.retriesLeft} tries left)` : '';
    return `${error.code}: ${error.message}${tries}`;
  }
  return error instanceof Error ? error.message : String(error);
}
