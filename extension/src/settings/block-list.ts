/**
 * Sites the user blocked from the PIN dialog ("このサイトをブロック"), in storage.local under
 * `blockedOrigins`. A blocked origin gets ERR_JPKI_ORIGIN_NOT_ALLOWED for every page and portal
 * request, before any dialog or host; the options page lists them and unblocks.
 */
import { browser } from '../lib/browser.ts';
import { isValidOrigin } from '@jpki-bridge/shared/origin';
import { BLOCK_LIST_KEY } from './storage-keys.ts';

export async function readBlockList(): Promise<readonly string[]> {
  const stored = (await browser.storage.local.get(BLOCK_LIST_KEY))[BLOCK_LIST_KEY];
  return Array.isArray(stored) ? stored.filter((origin): origin is string => isValidOrigin(origin)) : [];
}

export async function isBlocked(origin: string): Promise<boolean> {
  return (await readBlockList()).includes(origin);
}

export async function blockOrigin(origin: string): Promise<void> {
  if (!isValidOrigin(origin)) return;
  const list = await readBlockList();
  if (!list.includes(origin)) await browser.storage.local.set({ [BLOCK_LIST_KEY]: [...list, origin] });
}

export async function unblockOrigin(origin: string): Promise<void> {
  await browser.storage.local.set({ [BLOCK_LIST_KEY]: (await readBlockList()).filter((o) => o !== origin) });
}
