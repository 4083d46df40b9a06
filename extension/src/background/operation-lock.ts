/**
 * One operation at a time per browser: the card, the dialog and the user's
 * attention are single resources. A second request gets ERR_JPKI_ACTION_PENDING at once.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';

export class OperationLock {
  private held = false;

  get busy(): boolean {
    return this.held;
  }

  /** Runs `fn` holding the lock; the lock is released on every path. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held) throw new JpkiError('ERR_JPKI_ACTION_PENDING');
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
    }
  }
}
