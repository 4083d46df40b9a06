/**
 * `browser` for the background and the extension pages: webextension-polyfill (through WXT's
 * module), typed by @types/webextension-polyfill, so promise-returning listeners work the same
 * in Chromium and Firefox. The content script does not use this (size budget, see wxt.config.ts).
 */
export { browser } from '@wxt-dev/webextension-polyfill/browser';
export type { Runtime, Windows } from 'webextension-polyfill';
