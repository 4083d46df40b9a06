/**
 * The fixed values of the Mynaportal protocol that real portal pages check — not facts about
 * jpki-bridge. Source: the public jpki/myna client (`mpa/extension/content.js`, `manifest.json`,
 * `mpa/src/main.rs`), which real Mynaportal and e-Tax pages accept today. When the official
 * extension or app moves on and portals start asking for more, these are the only lines to change.
 *
 * Plain constants without imports: the content script (4 KB budget) takes the error code from here.
 */

/**
 * What the portal's hidden inputs must say. `#extension-is-installed` is the official extension's
 * major version (24: jpki/myna's manifest is `24.0.1` and its content script writes the major);
 * `#app-is-installed` is the official app's version as that client writes it (`29`). The portal
 * compares them with the levels it requires, so they are compatibility levels, never our own
 * version (which is in version.ts).
 */
export const PORTAL_COMPATIBILITY = {
  extensionInstalled: '24',
  appInstalled: '29',
} as const;

/** The only `service_id` a request may carry (JPKI); any other, or none, is refused. */
export const PORTAL_SERVICE_ID = '01';

/** `result` of every answer: `0` success, `1` failure. */
export const PORTAL_RESULT = { ok: '0', failed: '1' } as const;

/**
 * `errcode` of a failure: the generic code the jpki/myna client answers with. Our own code travels
 * beside it in `jpki_error` (ERR_JPKI_*), which portals ignore.
 */
export const PORTAL_ERRCODE = 'EW044-C300';
