/**
 * A dialog never outlives its page (tab-watch.ts) against WXT's `fakeBrowser` tabs events:
 * the requesting tab closing or loading another document ends the operation, nothing else does.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { watchTab } from '../../extension/src/background/tab-watch.ts';

const pending = Symbol('pending');
const settled = <T>(p: Promise<T>) =>
  Promise.race([
    p.then(
      () => 'resolved',
      (e: unknown) => e,
    ),
    new Promise<typeof pending>((r) => setTimeout(() => r(pending), 10)),
  ]);
const removeInfo = { windowId: 0, isWindowClosing: false };

describe('watchTab', () => {
  beforeEach(() => fakeBrowser.reset());

  it('the requesting tab closing is USER_CANCELLED', async () => {
    const watch = watchTab(5);
    await fakeBrowser.tabs.onRemoved.trigger(5, removeInfo);
    expect(await settled(watch.gone)).toMatchObject({ code: 'ERR_JPKI_USER_CANCELLED' });
  });

  it('the requesting tab loading another document (navigation, reload) is USER_CANCELLED', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://rp.example/login' });
    const watch = watchTab(tab.id!);
    await fakeBrowser.tabs.onUpdated.trigger(tab.id!, { status: 'loading' }, tab);
    expect(await settled(watch.gone)).toMatchObject({ code: 'ERR_JPKI_USER_CANCELLED' });
  });

  it('other tabs, and other changes of this tab, do not end the operation', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://rp.example/login' });
    const other = await fakeBrowser.tabs.create({ url: 'https://other.example/' });
    const watch = watchTab(tab.id!);
    await fakeBrowser.tabs.onRemoved.trigger(other.id!, removeInfo);
    await fakeBrowser.tabs.onUpdated.trigger(other.id!, { status: 'loading' }, other);
    await fakeBrowser.tabs.onUpdated.trigger(tab.id!, { status: 'complete' }, tab);
    await fakeBrowser.tabs.update(tab.id!, { title: 'ログイン' } as never); // fires onUpdated without a status
    expect(await settled(watch.gone)).toBe(pending);
  });

  it('dispose stops watching: no listener is left behind', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://rp.example/login' });
    const watch = watchTab(tab.id!);
    // trigger answers one result per listener: a harmless change reaches exactly one before dispose
    expect(await fakeBrowser.tabs.onUpdated.trigger(tab.id!, { status: 'complete' }, tab)).toHaveLength(1);
    watch.dispose();
    expect(await fakeBrowser.tabs.onUpdated.trigger(tab.id!, { status: 'loading' }, tab)).toHaveLength(0);
    expect(await fakeBrowser.tabs.onRemoved.trigger(tab.id!, removeInfo)).toHaveLength(0);
    expect(await settled(watch.gone)).toBe(pending);
  });
});
