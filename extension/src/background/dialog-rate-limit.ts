/**
 * At most DIALOG_LIMIT.max PIN dialogs per origin in any DIALOG_LIMIT.windowMs. With user
 * activation required (router.ts) a page can no longer open dialogs unprompted, but within one
 * activation (5 s transient, or sticky on the portal surface) it could reopen the focused window
 * as fast as the user closes it; past the limit it gets ERR_JPKI_RATE_LIMITED and no window.
 * Counted when a dialog is about to open, so refusals before it (pending, invalid) cost nothing.
 *
 * The counts outlive the background: Chromium stops an idle MV3 service worker after ~30 s (and
 * may restart it at any time), so counts in memory alone would hand a page that waits a fresh
 * allowance early. They live in storage.session under DIALOG_LIMIT_KEY (memory only, gone when
 * the browser closes; in Chromium MV3, and in Firefox MV2 from 115, so in every Firefox we
 * support: strict_min_version is 128).
 * Storage is read once per background life, when the limit is made (main.ts, at wake-up, so it
 * is in by the time a request gets here), then every count is made on the copy in memory and
 * written through without being waited for: the window opens as soon as it did without storage,
 * and two requests racing in one life each count (no read-modify-write across an await).
 */
import type { Storage } from 'webextension-polyfill';
import { JpkiError } from '@jpki-bridge/shared/errors';

/**
 * A person asks for a handful of PINs a minute at most (a login, a signature, a retry). Origins
 * past `maxOrigins` (each needs a dialog of its own within the window) drop the least recent.
 */
export const DIALOG_LIMIT = { max: 10, windowMs: 60_000, maxOrigins: 100 } as const;

/** origin → the times (ms) of its dialogs within the window, oldest first. */
export const DIALOG_LIMIT_KEY = 'dialogsOpenedAt';

type Limit = { max: number; windowMs: number; maxOrigins: number };
/** Where the counts survive the background (storage.session); absent: memory only (unit tests). */
export type CountStore = Pick<Storage.StorageArea, 'get' | 'set'>;

export class DialogRateLimit {
  #opened = new Map<string, number[]>();
  readonly #loaded: Promise<void>;

  constructor(
    private readonly limit: Limit = DIALOG_LIMIT,
    private readonly store?: CountStore,
    private readonly now: () => number = Date.now,
  ) {
    this.#loaded = store ? this.#load(store) : Promise.resolve();
  }

  /** Counts one dialog for `origin`, or rejects with ERR_JPKI_RATE_LIMITED when its window is full. */
  async take(origin: string): Promise<void> {
    await this.#loaded;
    // From here to the end nothing awaits: this request's check and count are one step.
    const now = this.now();
    const since = now - this.limit.windowMs;
    for (const [other, times] of this.#opened) if ((times.at(-1) ?? 0) <= since) this.#opened.delete(other);
    const recent = (this.#opened.get(origin) ?? []).filter((time) => time > since);
    const full = recent.length >= this.limit.max;
    // Re-inserted last: the map's order is least recently counted first, which the cap drops.
    this.#opened.delete(origin);
    this.#opened.set(origin, full ? recent : [...recent, now]);
    for (const [other] of this.#opened) {
      if (this.#opened.size <= this.limit.maxOrigins) break;
      this.#opened.delete(other);
    }
    this.#save();
    if (full) throw new JpkiError('ERR_JPKI_RATE_LIMITED');
  }

  /** Storage may hold anything: only lists of times of string keys are taken, the newest `max` of each. */
  async #load(store: CountStore): Promise<void> {
    let stored: unknown;
    try {
      stored = (await store.get(DIALOG_LIMIT_KEY))[DIALOG_LIMIT_KEY];
    } catch {
      return; // unreadable: counted in memory for this life, as before storage
    }
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return;
    const loaded = Object.entries(stored as Record<string, unknown>)
      .filter((entry): entry is [string, number[]] => Array.isArray(entry[1]) && entry[1].every((time) => Number.isFinite(time)))
      .map(([origin, times]) => [origin, times.slice(-this.limit.max)] as const)
      .sort(([, a], [, b]) => (a.at(-1) ?? 0) - (b.at(-1) ?? 0));
    this.#opened = new Map(loaded);
  }

  #save(): void {
    if (!this.store) return;
    // Not awaited (see the top). Writes are applied in the order made, so the last one stands;
    // one that fails leaves the counts in memory for this life.
    this.store.set({ [DIALOG_LIMIT_KEY]: Object.fromEntries(this.#opened) }).catch(() => {});
  }
}
