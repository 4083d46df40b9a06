/**
 * The user-interaction deadline: 120 s, or less when the page asks (never more; the page's
 * `timeout` is read by the page schema, shared/src/protocol/page.ts). It bounds the time the user
 * takes in the dialog, not the card's own I/O once a PIN is in.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';

export interface Deadline {
  readonly at: number;
  /** Resolves `promise`, or rejects ERR_JPKI_USER_TIMEOUT when the deadline passes first. */
  race<T>(promise: Promise<T>): Promise<T>;
  clear(): void;
}

/** `abandon`, when given, ends every race too (the requesting page went away). */
export function createDeadline(ms: number, now: () => number = Date.now, abandon?: Promise<never>): Deadline {
  const at = now() + ms;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  return {
    at,
    race<T>(promise: Promise<T>): Promise<T> {
      const left = at - now();
      if (left <= 0) return Promise.reject(new JpkiError('ERR_JPKI_USER_TIMEOUT'));
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new JpkiError('ERR_JPKI_USER_TIMEOUT')), left);
        timers.add(timer);
        abandon?.catch(reject);
        promise.then(resolve, reject).finally(() => {
          clearTimeout(timer);
          timers.delete(timer);
        });
      });
    },
    clear() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
