/**
 * At most DIALOG_LIMIT.max PIN dialogs per origin in any DIALOG_LIMIT.windowMs. With user
 * activation required (router.ts) a page can no longer open dialogs unprompted, but within one
 * activation (5 s transient, or sticky on the portal surface) it could reopen the focused window
 * as fast as the user closes it; past the limit it gets ERR_JPKI_RATE_LIMITED and no window.
 * Counted when a dialog is about to open, so refusals before it (pending, invalid) cost nothing.
 * Kept in the background's memory: a spamming page keeps the background awake, and one that is
 * idle long enough for the background to sleep is far below the limit anyway.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';

/** A person asks for a handful of PINs a minute at most (a login, a signature, a retry). */
export const DIALOG_LIMIT = { max: 10, windowMs: 60_000 } as const;

export class DialogRateLimit {
  readonly #opened = new Map<string, number[]>();

  constructor(
    private readonly limit: { max: number; windowMs: number } = DIALOG_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one dialog for `origin`, or throws ERR_JPKI_RATE_LIMITED when its window is full. */
  take(origin: string): void {
    const now = this.now();
    const since = now - this.limit.windowMs;
    for (const [other, times] of this.#opened) if ((times.at(-1) ?? 0) <= since) this.#opened.delete(other);
    const recent = (this.#opened.get(origin) ?? []).filter((time) => time > since);
    if (recent.length >= this.limit.max) {
      this.#opened.set(origin, recent);
      throw new JpkiError('ERR_JPKI_RATE_LIMITED');
    }
    this.#opened.set(origin, [...recent, now]);
  }
}
