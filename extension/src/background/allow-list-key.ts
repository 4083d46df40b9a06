/**
 * Where the portal allow-list lives in storage.local. A module of its own, free of browser APIs,
 * so that Node code that prepares a browser profile (tools/dev) reads the key from here too.
 */
export const ALLOW_LIST_KEY = 'portalAllowList';
