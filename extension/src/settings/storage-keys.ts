/**
 * Where the user's settings live in storage.local: the portal allow-list with its per-site
 * switches, and the sites blocked from the PIN dialog. A module of its own, free of browser APIs,
 * so that Node code that prepares a browser profile (tools/dev) reads the keys from here too.
 */
export const ALLOW_LIST_KEY = 'portalAllowList';
/**
 * Which preset generation the stored list was written against. Absent on a list written before
 * the wildcard presets were replaced: such a list is migrated once (allow-list-migration.ts).
 */
export const ALLOW_LIST_VERSION_KEY = 'portalAllowListVersion';
export const ALLOW_LIST_VERSION = 2;
/** The user's explicit choices for "present Windows to this site": `{ [pattern]: boolean }`. */
export const PRESENT_WINDOWS_KEY = 'portalPresentWindows';
/** The origins the user blocked from the PIN dialog: `string[]` (block-list.ts). */
export const BLOCK_LIST_KEY = 'blockedOrigins';
