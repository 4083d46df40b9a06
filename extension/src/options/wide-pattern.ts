/**
 * A wildcard over a suffix that many unrelated owners register under — `*.co.jp` (every Japanese
 * company), `*.lg.jp` (every municipality), `*.jp` — would put thousands of sites, and an XSS on
 * any one of them, on the portal surface that signs any digest with the authentication key
 * (docs/portal-sites.md). The options page warns and asks for the same entry a second time.
 * The suffixes: every top-level domain, and the attribute-type and geographic second levels of
 * `.jp` (JPRS: co, or, ne, ac, ad, ed, go, gr, lg).
 */
const JP_SECOND_LEVELS = new Set(['co', 'or', 'ne', 'ac', 'ad', 'ed', 'go', 'gr', 'lg']);

export function isWidePattern(pattern: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const labels = pattern.slice(2).split('.');
  if (labels.length === 1) return true;
  return labels.length === 2 && labels[1] === 'jp' && JP_SECOND_LEVELS.has(labels[0]!);
}
