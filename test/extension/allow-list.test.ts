/**
 * The portal allow-list in storage.local against WXT's in-memory `fakeBrowser`: what the options
 * page writes is what the background reads, absent = the preset of exact origins; a list stored
 * under the old wildcard preset is migrated once; each site's "present as Windows" switch.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_PORTAL_ALLOW_LIST, isOriginAllowed } from '@jpki-bridge/shared/origin';
import { readAllowList, readPortalSites, resetAllowList, setPresentWindows, writeAllowList } from '../../extension/src/settings/allow-list.ts';
import { LEGACY_PRESET } from '../../extension/src/settings/allow-list-migration.ts';
import { blockOrigin, isBlocked, readBlockList, unblockOrigin } from '../../extension/src/settings/block-list.ts';
import { ALLOW_LIST_KEY, ALLOW_LIST_VERSION, ALLOW_LIST_VERSION_KEY, BLOCK_LIST_KEY, PRESENT_WINDOWS_KEY } from '../../extension/src/settings/storage-keys.ts';

const stored = async (key = ALLOW_LIST_KEY) => (await fakeBrowser.storage.local.get(key))[key];
/** A list as the version before the exact-origin preset stored it: no version key. */
const storeOld = (list: unknown[]) => fakeBrowser.storage.local.set({ [ALLOW_LIST_KEY]: list });

describe('portal allow-list in storage.local', () => {
  beforeEach(() => fakeBrowser.reset());

  it('lives under storage.local.portalAllowList', () => expect(ALLOW_LIST_KEY).toBe('portalAllowList'));

  it('the preset is the three exact origins of the services known to speak the portal protocol, no wildcard', () => {
    expect(DEFAULT_PORTAL_ALLOW_LIST).toEqual(['https://myna.go.jp', 'https://clientweb.e-tax.nta.go.jp', 'https://www.keisan.nta.go.jp']);
    expect(DEFAULT_PORTAL_ALLOW_LIST.some((pattern) => pattern.includes('*'))).toBe(false);
  });

  it('other government and municipal hosts are off the preset (an XSS on one no longer reaches the surface)', () => {
    for (const origin of [
      'https://www.city.chiyoda.lg.jp',
      'https://www.digital.go.jp',
      'https://uploads.myna.go.jp',
      'https://www.e-tax.nta.go.jp',
      'https://www.nta.go.jp',
    ]) {
      expect(isOriginAllowed(origin, DEFAULT_PORTAL_ALLOW_LIST), origin).toBe(false);
    }
    for (const origin of DEFAULT_PORTAL_ALLOW_LIST) expect(isOriginAllowed(origin, DEFAULT_PORTAL_ALLOW_LIST)).toBe(true);
  });

  it('is the preset while nothing is stored, and stores nothing by being read', async () => {
    expect(await readAllowList()).toEqual(DEFAULT_PORTAL_ALLOW_LIST);
    expect(await stored()).toBeUndefined();
  });

  it('an added pattern is stored in storage.local and read back', async () => {
    await writeAllowList([...(await readAllowList()), 'https://city.example']);
    expect(await stored()).toEqual([...DEFAULT_PORTAL_ALLOW_LIST, 'https://city.example']);
    expect(await readAllowList()).toEqual([...DEFAULT_PORTAL_ALLOW_LIST, 'https://city.example']);
  });

  it('a removed pattern stays removed; removing every pattern allows nobody (not the preset)', async () => {
    await writeAllowList(DEFAULT_PORTAL_ALLOW_LIST.filter((p) => p !== 'https://www.keisan.nta.go.jp'));
    expect(await readAllowList()).not.toContain('https://www.keisan.nta.go.jp');
    expect(await readAllowList()).toContain('https://myna.go.jp');
    await writeAllowList([]);
    expect(await stored()).toEqual([]);
    expect(await readAllowList()).toEqual([]);
  });

  it('a wildcard the user adds now is kept (the list is written with its version)', async () => {
    await writeAllowList(['*.go.jp', 'https://city.example']);
    expect(await stored(ALLOW_LIST_VERSION_KEY)).toBe(ALLOW_LIST_VERSION);
    expect(await readAllowList()).toEqual(['*.go.jp', 'https://city.example']);
  });

  it('reset removes the keys, so the preset applies again', async () => {
    await writeAllowList(['https://city.example']);
    await setPresentWindows('https://city.example', true);
    await resetAllowList();
    const all = await fakeBrowser.storage.local.get(null);
    for (const key of [ALLOW_LIST_KEY, ALLOW_LIST_VERSION_KEY, PRESENT_WINDOWS_KEY]) expect(all).not.toHaveProperty(key);
    expect(await readAllowList()).toEqual(DEFAULT_PORTAL_ALLOW_LIST);
  });

  it('invalid patterns are refused on write: never stored', async () => {
    await writeAllowList(['https://city.example', 'http://evil.example', '*.com', '*', 'javascript:alert(1)', 'city.example']);
    expect(await stored()).toEqual(['https://city.example']);
  });

  it('http is accepted for localhost only', async () => {
    await writeAllowList(['http://localhost:8080', 'http://127.0.0.1', 'http://intranet.example']);
    expect(await readAllowList()).toEqual(['http://localhost:8080', 'http://127.0.0.1']);
  });

  it('a tampered stored value is filtered on read; a non-array falls back to the preset', async () => {
    await fakeBrowser.storage.local.set({
      [ALLOW_LIST_KEY]: ['https://city.example', 42, null, 'http://evil.example', { origin: 'https://x.example' }],
      [ALLOW_LIST_VERSION_KEY]: ALLOW_LIST_VERSION,
    });
    expect(await readAllowList()).toEqual(['https://city.example']);
    await fakeBrowser.storage.local.set({ [ALLOW_LIST_KEY]: 'https://evil.example' });
    expect(await readAllowList()).toEqual(DEFAULT_PORTAL_ALLOW_LIST);
  });

  it('is stored in storage.local only (not sync nor session)', async () => {
    await writeAllowList(['https://city.example']);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});

describe('upgrading a list stored under the old wildcard preset', () => {
  beforeEach(() => fakeBrowser.reset());

  it('the untouched old preset becomes the new one, stored with its version', async () => {
    await storeOld([...LEGACY_PRESET]);
    expect(await readAllowList()).toEqual(DEFAULT_PORTAL_ALLOW_LIST);
    expect(await stored()).toEqual(DEFAULT_PORTAL_ALLOW_LIST);
    expect(await stored(ALLOW_LIST_VERSION_KEY)).toBe(ALLOW_LIST_VERSION);
  });

  it('*.go.jp and *.lg.jp go, with every other old preset wildcard; the sites the user added stay', async () => {
    await storeOld([...LEGACY_PRESET.filter((p) => p !== '*.nta.go.jp'), 'https://city.example', 'https://town.example']);
    const list = await readAllowList();
    expect(list).toEqual([...DEFAULT_PORTAL_ALLOW_LIST, 'https://city.example', 'https://town.example']);
    for (const wildcard of LEGACY_PRESET) expect(list).not.toContain(wildcard);
    expect(isOriginAllowed('https://www.city.chiyoda.lg.jp', list)).toBe(false);
  });

  it('a user who had removed the whole old preset keeps only what they added (no preset comes back)', async () => {
    await storeOld(['https://city.example']);
    expect(await readAllowList()).toEqual(['https://city.example']);
  });

  it('runs once: a wildcard added after the upgrade is the user’s and stays', async () => {
    await storeOld([...LEGACY_PRESET]);
    await readAllowList();
    await writeAllowList([...(await readAllowList()), '*.lg.jp']);
    expect(await readAllowList()).toContain('*.lg.jp');
  });
});

describe('the "present as Windows" switch per site', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is on for the preset sites and off for a site the user adds', async () => {
    await writeAllowList([...DEFAULT_PORTAL_ALLOW_LIST, 'https://city.example']);
    expect(await readPortalSites()).toEqual([
      ...DEFAULT_PORTAL_ALLOW_LIST.map((pattern) => ({ pattern, preset: true, presentWindows: true })),
      { pattern: 'https://city.example', preset: false, presentWindows: false },
    ]);
  });

  it('the user’s choice wins either way, and goes when the site is removed', async () => {
    await writeAllowList(['https://myna.go.jp', 'https://city.example']);
    await setPresentWindows('https://myna.go.jp', false);
    await setPresentWindows('https://city.example', true);
    expect((await readPortalSites()).map((s) => s.presentWindows)).toEqual([false, true]);
    await writeAllowList(['https://myna.go.jp']);
    await writeAllowList(['https://myna.go.jp', 'https://city.example']);
    expect((await readPortalSites()).map((s) => s.presentWindows)).toEqual([false, false]);
  });

  it('a site not on the list cannot be switched on; tampered choices are ignored', async () => {
    await setPresentWindows('https://evil.example', true);
    expect(await stored(PRESENT_WINDOWS_KEY)).toBeUndefined();
    await fakeBrowser.storage.local.set({ [PRESENT_WINDOWS_KEY]: { 'https://myna.go.jp': 'yes', ['__proto__']: false, 'javascript:x': true } });
    expect((await readPortalSites()).every((s) => s.presentWindows)).toBe(true);
  });
});

describe('blocked sites in storage.local', () => {
  beforeEach(() => fakeBrowser.reset());

  it('block, read, unblock; a second block does not duplicate; non-origins are never stored', async () => {
    expect(await isBlocked('https://spam.example')).toBe(false);
    await blockOrigin('https://spam.example');
    await blockOrigin('https://spam.example');
    await blockOrigin('null');
    await blockOrigin('https://*.example');
    expect(await readBlockList()).toEqual(['https://spam.example']);
    expect(await isBlocked('https://spam.example')).toBe(true);
    expect(await isBlocked('https://other.example')).toBe(false);
    await unblockOrigin('https://spam.example');
    expect(await isBlocked('https://spam.example')).toBe(false);
    expect((await fakeBrowser.storage.local.get(BLOCK_LIST_KEY))[BLOCK_LIST_KEY]).toEqual([]);
  });
});
