/**
 * What a test session can start without — the states a resident's computer is often in, and a
 * site's error pages must handle. The browser kit (packages/testing) and the browserless card
 * (in-process-card.ts) both take it as `without`; a page's call then fails with:
 *
 * - `card`: a reader, but no card on it → ERR_JPKI_NO_CARD (the PIN dialog offers 再試行; `insert`
 *   puts the card on the reader).
 * - `reader`: pcscd runs, but no reader for the host → ERR_JPKI_NO_READER (再試行 too).
 * - `host`: the host is not there (the browser cannot start it) → ERR_JPKI_NATIVE_UNAVAILABLE.
 */
export type Without = 'card' | 'reader' | 'host';

export const WITHOUT: readonly Without[] = ['card', 'reader', 'host'];

/** Checks a `without` option from JavaScript (no type checker there): a typo would otherwise start a working session. */
export function checkWithout(value: unknown): Without | undefined {
  if (value === undefined) return undefined;
  if ((WITHOUT as readonly unknown[]).includes(value)) return value as Without;
  throw new TypeError(`without must be one of ${WITHOUT.map((w) => `'${w}'`).join(', ')}, not ${JSON.stringify(value)}`);
}
