/**
 * The one migration of the stored allow-list: a list written before version 2 (storage-keys.ts)
 * was made against the old wildcard preset. Pure, so readAllowList (allow-list.ts) applies it once
 * and the tests check it without storage.
 */
import { DEFAULT_PORTAL_ALLOW_LIST } from '@jpki-bridge/shared/origin';

/** The preset before version 2: wildcards that let every government and municipal host in. */
export const LEGACY_PRESET: readonly string[] = ['*.myna.go.jp', '*.e-tax.nta.go.jp', '*.nta.go.jp', '*.go.jp', '*.lg.jp'];

/**
 * A list stored before version 2 was the old preset as the user left it. An old preset entry in it
 * cannot be told from the same pattern typed by the user (the options page refused duplicates), so
 * every one is dropped; a list that still held one gets the new preset in their place, while a
 * list from which the user had removed them all keeps only what the user added.
 */
export function migrateLegacyList(list: readonly string[]): string[] {
  const kept = list.filter((pattern) => !LEGACY_PRESET.includes(pattern));
  if (kept.length === list.length) return [...list];
  return [...DEFAULT_PORTAL_ALLOW_LIST.filter((pattern) => !kept.includes(pattern)), ...kept];
}
