/**
 * The user-interaction deadline: 120 s, or less when the page asks (never more; the page's
 * `timeout` is read by the page schema, shared/src/protocol/page.ts). It bounds the time the user
 * takes in the dialog, not the card's own I/O once a PIN is in. The user may extend it from the
 * dialog (延長) by DEADLINE_EXTENSION_MS, at most MAX_DEADLINE_EXTENSIONS times.
 */
import { DEADLINE_EXTENSION_MS, MAX_DEADLINE_EXTENSIONS } from '@jpki-bridge/shared/constants';
import { JpkiError } from '@jpki-bridge/shared/errors';

export interface Deadline {
  /** Epoch ms when it passes (later after an extension). */
  readonly at: number;
  /** Extensions still allowed. */
  readonly extensionsLeft: number;
  /** Resolves `promise`, or rejects ERR_JPKI_USER_TIMEOUT when the deadline passes first. */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Moves the deadline DEADLINE_EXTENSION_MS later; false (nothing changed) when none is left or it has passed. */
  extend(): boolean;
  clear(): void;
}

/** `abandon`, when given, ends every race too (the requesting page went away). */
export function createDeadline(ms: number, now: () => number = Date.now, abandon?: Promise<never>): Deadline {
  let at = now() + ms;
  let extensionsLeft = MAX_DEADLINE_EXTENSIONS;
  /** The rejections of the races still running: one timer ends them all. */
  const racing = new Set<(error: JpkiError) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = racing.size === 0 ? undefined : setTimeout(expire, Math.max(0, at - now()));
  };
  const expire = () => {
    timer = undefined;
    for (const reject of [...racing]) reject(new JpkiError('ERR_JPKI_USER_TIMEOUT'));
    racing.clear();
  };
  return {
    get at() {
      return at;
    },
    get extensionsLeft() {
      return extensionsLeft;
    },
    race<T>(promise: Promise<T>): Promise<T> {
      if (at - now() <= 0) return Promise.reject(new JpkiError('ERR_JPKI_USER_TIMEOUT'));
      return new Promise<T>((resolve, reject) => {
        racing.add(reject);
        if (timer === undefined) arm();
        abandon?.catch(reject);
        promise.then(resolve, reject).finally(() => {
          racing.delete(reject);
          if (racing.size === 0) arm();
        });
      });
    },
    extend() {
      if (extensionsLeft === 0 || at - now() <= 0) return false;
      extensionsLeft--;
      at += DEADLINE_EXTENSION_MS;
      arm();
      return true;
    },
    clear() {
      clearTimeout(timer);
      timer = undefined;
      racing.clear();
    },
  };
}
