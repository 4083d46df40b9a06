/**
 * The portal allow-list (docs/ARCHITECTURE.md §4.5) in storage.local under `portalAllowList`; absent means
 * the preset. The options page edits it; the background reads it for every portal request.
 */
import { browser } from '../lib/browser.ts';
import { DEFAULT_PORTAL_ALLOW_LIST, isValidAllowListPattern } from '@jpki-bridge/shared/origin';
import { ALLOW_LIST_KEY } from './allow-list-key.ts';

export { ALLOW_LIST_KEY };

export async function readAllowList(): Promise<readonly string[]> {
  const stored = (await browser.storage.local.get(ALLOW_LIST_KEY))[ALLOW_LIST_KEY];
  if (!Array.isArray(stored)) return DEFAULT_PORTAL_ALLOW_LIST;
  return stored.filter((pattern): pattern is string => isValidAllowListPattern(pattern));
}

export async function writeAllowList(patterns: readonly string[]): Promise<void> {
  await browser.storage.local.set({ [ALLOW_LIST_KEY]: patterns.filter((p) => isValidAllowListPattern(p)) });
}

export async function resetAllowList(): Promise<void> {
  await browser.storage.local.remove(ALLOW_LIST_KEY);
}
