/**
 * WXT's fakeBrowser keeps windows and their focus, but its tabs cannot be made active in a way
 * `tabs.get` then reports (its `duplicate` sets the active id on a tab it never stores). So tabs
 * here are a small table behind `tabs.get`; the window focus is fakeBrowser's own.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';

export interface FakeTabs {
  /** Adds (or replaces) a tab; `active` as the browser would report it. */
  set(id: number, tab: { windowId: number; active: boolean }): void;
}

export function installFakeTabs(): FakeTabs {
  const table = new Map<number, { windowId: number; active: boolean }>();
  vi.spyOn(fakeBrowser.tabs, 'get').mockImplementation((async (id: number) => {
    const tab = table.get(id);
    if (!tab) throw new Error(`No tab with id: ${id}.`);
    return { id, index: 0, highlighted: tab.active, pinned: false, incognito: false, ...tab };
  }) as never);
  return { set: (id, tab) => void table.set(id, tab) };
}

/** A focused browser window whose active tab is `tabId`: the page that asks is the one in front. */
export async function putTabInFront(tabId: number): Promise<FakeTabs> {
  const tabs = installFakeTabs();
  const window = await fakeBrowser.windows.create({ focused: true });
  tabs.set(tabId, { windowId: window.id!, active: true });
  return tabs;
}
