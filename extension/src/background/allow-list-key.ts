/**
 * Where the portal allow-list and its per-site settings live in storage.local. A module of its
 * own, free of browser APIs, so that Node code that prepares a browser profile (tools/dev) reads
 * the keys from here too.
 */
export const ALLOW_LIST_KEY = 'portalAllowList';
/**
 * Which preset generation the stored list was written against. Absent on a list written before
 * the wildcard presets were replaced: such a list is migrated once (allow-list.ts).
 */
export const ALLOW_LIST_VERSION_KEY = 'portalAllowListVersion';
export const ALLOW_LIST_VERSION = 2;
/** The user's explicit choices for "present Windows to this site": `{ [pattern]: boolean }`. */
export const PRESENT_WINDOWS_KEY = 'portalPresentWindows';
