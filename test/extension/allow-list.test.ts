/**
 * The portal allow-list in storage.local against WXT's in-memory `fakeBrowser`:
 * what the options page writes is what the background reads, absent = the preset.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_PORTAL_ALLOW_LIST } from '../../shared/src/origin.ts';
import { ALLOW_LIST_KEY, readAllowList, resetAllowList, writeAllowList } from '../../extension/src/background/allow-list.ts';

const stored = async () => (await fakeBrowser.storage.local.get(ALLOW_LIST_KEY))[ALLOW_LIST_KEY];

describe('portal allow-list in storage.local', () => {
  beforeEach(() => fakeBrowser.reset());

  it('lives under storage.local.portalAllowList', () => expect(ALLOW_LIST_KEY).toBe('portalAllowList'));

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
    await writeAllowList(DEFAULT_PORTAL_ALLOW_LIST.filter((p) => p !== '*.lg.jp'));
    expect(await readAllowList()).not.toContain('*.lg.jp');
    expect(await readAllowList()).toContain('*.go.jp');
    await writeAllowList([]);
    expect(await stored()).toEqual([]);
    expect(await readAllowList()).toEqual([]);
  });

  it('reset removes the key, so the preset applies again', async () => {
    await writeAllowList(['https://city.example']);
    await resetAllowList();
    expect(await fakeBrowser.storage.local.get(null)).not.toHaveProperty(ALLOW_LIST_KEY);
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
    await fakeBrowser.storage.local.set({ [ALLOW_LIST_KEY]: ['*.lg.jp', 42, null, 'http://evil.example', { origin: 'https://x.example' }] });
    expect(await readAllowList()).toEqual(['*.lg.jp']);
    await fakeBrowser.storage.local.set({ [ALLOW_LIST_KEY]: 'https://evil.example' });
    expect(await readAllowList()).toEqual(DEFAULT_PORTAL_ALLOW_LIST);
  });

  it('is stored in storage.local only (not sync nor session)', async () => {
    await writeAllowList(['https://city.example']);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});
