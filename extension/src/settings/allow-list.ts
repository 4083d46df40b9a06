/**
 * The portal allow-list (docs/portal-sites.md) in storage.local under `portalAllowList`; absent
 * means the preset. With it, per site, whether the page is shown Windows as its OS
 * (`portalPresentWindows`: the user's explicit choices; without one a preset site is, a site the
 * user added is not). The options page edits both; the background reads the list for every portal
 * request and the choices whenever it (re)registers the OS presentation (background/os-presentation.ts).
 * Writing the list prunes the switches of sites no longer on it, so the two live in one module.
 */
import { browser } from '../lib/browser.ts';
import { DEFAULT_PORTAL_ALLOW_LIST, isValidAllowListPattern } from '@jpki-bridge/shared/origin';
import { migrateLegacyList } from './allow-list-migration.ts';
import { ALLOW_LIST_KEY, ALLOW_LIST_VERSION, ALLOW_LIST_VERSION_KEY, PRESENT_WINDOWS_KEY } from './storage-keys.ts';

export interface PortalSite {
  pattern: string;
  /** One of the preset's origins. */
  preset: boolean;
  /** The page is shown Windows (user agent, client hints) on a Linux or other non-Windows, non-macOS system. */
  presentWindows: boolean;
}

export async function readAllowList(): Promise<readonly string[]> {
  const stored = await browser.storage.local.get([ALLOW_LIST_KEY, ALLOW_LIST_VERSION_KEY]);
  const list = stored[ALLOW_LIST_KEY];
  if (!Array.isArray(list)) return DEFAULT_PORTAL_ALLOW_LIST;
  const valid = list.filter((pattern): pattern is string => isValidAllowListPattern(pattern));
  if (stored[ALLOW_LIST_VERSION_KEY] === ALLOW_LIST_VERSION) return valid;
  const migrated = migrateLegacyList(valid);
  await writeAllowList(migrated);
  return migrated;
}

/** Stores the valid patterns; the OS choices of patterns no longer listed are dropped with them. */
export async function writeAllowList(patterns: readonly string[]): Promise<void> {
  const list = patterns.filter((pattern) => isValidAllowListPattern(pattern));
  const choices = Object.fromEntries(Object.entries(await readChoices()).filter(([pattern]) => list.includes(pattern)));
  await browser.storage.local.set({ [ALLOW_LIST_KEY]: list, [ALLOW_LIST_VERSION_KEY]: ALLOW_LIST_VERSION, [PRESENT_WINDOWS_KEY]: choices });
}

/** Back to the preset, with the preset's OS defaults. */
export async function resetAllowList(): Promise<void> {
  await browser.storage.local.remove([ALLOW_LIST_KEY, ALLOW_LIST_VERSION_KEY, PRESENT_WINDOWS_KEY]);
}

export function isPreset(pattern: string): boolean {
  return DEFAULT_PORTAL_ALLOW_LIST.includes(pattern);
}

/** The list with each site's OS switch: the user's choice, else on for a preset site, off for one the user added. */
export async function readPortalSites(): Promise<PortalSite[]> {
  const [list, choices] = await Promise.all([readAllowList(), readChoices()]);
  return list.map((pattern) => ({ pattern, preset: isPreset(pattern), presentWindows: choices[pattern] ?? isPreset(pattern) }));
}

export async function setPresentWindows(pattern: string, on: boolean): Promise<void> {
  if (!(await readAllowList()).includes(pattern)) return;
  await browser.storage.local.set({ [PRESENT_WINDOWS_KEY]: { ...(await readChoices()), [pattern]: on } });
}

/** The stored choices, own boolean entries of valid patterns only (storage may hold anything). */
async function readChoices(): Promise<Record<string, boolean>> {
  const stored = (await browser.storage.local.get(PRESENT_WINDOWS_KEY))[PRESENT_WINDOWS_KEY];
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  return Object.fromEntries(
    Object.entries(stored as Record<string, unknown>).filter(
      (entry): entry is [string, boolean] => isValidAllowListPattern(entry[0]) && typeof entry[1] === 'boolean',
    ),
  );
}
