/**
 * The PIN dialog rate limit over storage.session (WXT's in-memory `fakeBrowser`): a background
 * that restarts (a new limit over the same session storage, as after Chromium stopped the idle
 * service worker) still knows the dialogs of the last minute, old ones expire, two requests racing
 * in one life both count, and what is stored stays bounded.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DIALOG_LIMIT, DIALOG_LIMIT_KEY, DialogRateLimit, type CountStore } from '../../extension/src/background/dialog-rate-limit.ts';

const RP = 'https://rp.example';
const OTHER = 'https://other.example';
const MINUTE = DIALOG_LIMIT.windowMs;

let now = 1_000_000;
const clock = () => now;
/** A background's life: its limit over the session storage, as main.ts makes it. */
const wake = (limit: ConstructorParameters<typeof DialogRateLimit>[0] = DIALOG_LIMIT) => new DialogRateLimit(limit, fakeBrowser.storage.session, clock);
/** The write-through is not awaited by take(); a macrotask lets it land. */
const written = () => new Promise((resolve) => setTimeout(resolve, 0));
const stored = async () => (await fakeBrowser.storage.session.get(DIALOG_LIMIT_KEY))[DIALOG_LIMIT_KEY] as Record<string, number[]> | undefined;
const RATE_LIMITED = { code: 'ERR_JPKI_RATE_LIMITED' };

async function useUp(limit: DialogRateLimit, origin = RP): Promise<void> {
  for (let i = 0; i < DIALOG_LIMIT.max; i++) await limit.take(origin);
}

describe('the dialog counts survive the background', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    now = 1_000_000;
  });

  it('after a restart the used-up origin is still RATE_LIMITED; another origin is served', async () => {
    await useUp(wake());
    await written();
    const restarted = wake();
    await expect(restarted.take(RP)).rejects.toMatchObject(RATE_LIMITED);
    await restarted.take(OTHER);
  });

  it('the counts are kept per origin as the times of its dialogs in storage.session, and nowhere else', async () => {
    const limit = wake();
    await limit.take(RP);
    now += 5;
    await limit.take(RP);
    await written();
    expect(await stored()).toEqual({ [RP]: [now - 5, now] });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('a restart half-way through the allowance leaves only the rest of it', async () => {
    const first = wake();
    for (let i = 0; i < 4; i++) await first.take(RP);
    await written();
    const restarted = wake();
    for (let i = 4; i < DIALOG_LIMIT.max; i++) await restarted.take(RP);
    await expect(restarted.take(RP)).rejects.toMatchObject(RATE_LIMITED);
  });

  it('dialogs older than the window expire across a restart: a full allowance again, the old times gone from storage', async () => {
    await useUp(wake());
    await written();
    now += MINUTE;
    const restarted = wake();
    await useUp(restarted);
    await expect(restarted.take(RP)).rejects.toMatchObject(RATE_LIMITED);
    await written();
    expect((await stored())?.[RP]?.every((time) => time > now - MINUTE)).toBe(true);
  });

  it('a refused request does not extend the window: the allowance is back one window after the first dialog', async () => {
    const limit = wake();
    await useUp(limit);
    now += MINUTE - 1;
    await expect(limit.take(RP)).rejects.toMatchObject(RATE_LIMITED);
    now += 1;
    await written();
    await wake().take(RP);
  });

  it('two requests racing in one life (two tabs, the storage read still under way) both count: one of the last two places each', async () => {
    const first = wake();
    for (let i = 0; i < DIALOG_LIMIT.max - 2; i++) await first.take(RP);
    await written();
    const restarted = wake();
    const race = await Promise.allSettled([restarted.take(RP), restarted.take(RP), restarted.take(RP)]);
    expect(race.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    await written();
    expect((await stored())?.[RP]).toHaveLength(DIALOG_LIMIT.max);
    await expect(wake().take(RP)).rejects.toMatchObject(RATE_LIMITED);
  });

  it('the dialog does not wait for the write: take() resolves while storage.session.set is still pending', async () => {
    const never: CountStore = { get: async () => ({}), set: () => new Promise<void>(() => {}) };
    const limit = new DialogRateLimit(DIALOG_LIMIT, never, clock);
    await expect(limit.take(RP)).resolves.toBeUndefined();
  });

  it('what is stored stays bounded: at most maxOrigins origins (the least recent dropped), max times each, none past the window', async () => {
    const limit = wake({ ...DIALOG_LIMIT, maxOrigins: 5 });
    for (let i = 0; i < 8; i++) {
      now += 1;
      await limit.take(`https://site${i}.example`);
    }
    for (let i = 0; i < DIALOG_LIMIT.max + 3; i++) await limit.take(RP).catch(() => {});
    await written();
    const map = (await stored()) ?? {};
    expect(Object.keys(map)).toEqual(['https://site4.example', 'https://site5.example', 'https://site6.example', 'https://site7.example', RP]);
    expect(map[RP]).toHaveLength(DIALOG_LIMIT.max);
    now += MINUTE;
    await limit.take(OTHER);
    await written();
    expect(await stored()).toEqual({ [OTHER]: [now] });
  });

  it('junk in storage is ignored, and a store that cannot be read leaves the limit in memory for this life', async () => {
    await fakeBrowser.storage.session.set({ [DIALOG_LIMIT_KEY]: { [RP]: 'x', [OTHER]: [1, 'two'] } });
    await wake().take(RP);
    await fakeBrowser.storage.session.set({ [DIALOG_LIMIT_KEY]: [1, 2] });
    await wake().take(RP);
    const unreadable: CountStore = { get: async () => Promise.reject(new Error('no session storage')), set: async () => {} };
    const limit = new DialogRateLimit(DIALOG_LIMIT, unreadable, clock);
    await useUp(limit);
    await expect(limit.take(RP)).rejects.toMatchObject(RATE_LIMITED);
  });
});
