/**
 * `runtime.getPlatformInfo`, `scripting.*ContentScripts` and `declarativeNetRequest.*DynamicRules`
 * for WXT's fakeBrowser, which leaves them unimplemented: an OS to report, and in-memory
 * registrations and rules that behave like the browser's (a second registration of one id fails),
 * and Chromium-on-Linux's `navigator`. Call after `fakeBrowser.reset()`; `vi.restoreAllMocks()`
 * removes the mocks (the `navigator` stub stays until `vi.unstubAllGlobals()`).
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { DeclarativeNetRequest, Runtime, Scripting } from 'webextension-polyfill';

export interface OsPresentationFakes {
  scripts: Scripting.RegisteredContentScript[];
  rules: DeclarativeNetRequest.Rule[];
  /** Open tabs (id → URL) that `tabs.query({ url })` matches, and the ids `tabs.reload` got. */
  tabs: Map<number, string>;
  reloaded: number[];
}

export const CHROMIUM_LINUX_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

export function installOsPresentationFakes(os: Runtime.PlatformOs): OsPresentationFakes {
  const fakes: OsPresentationFakes = { scripts: [], rules: [], tabs: new Map(), reloaded: [] };
  // Node 20 has no navigator; the background reads the browser's user agent and client hints from it.
  vi.stubGlobal('navigator', { userAgent: CHROMIUM_LINUX_UA, userAgentData: { platform: 'Linux' } });
  vi.spyOn(fakeBrowser.runtime, 'getPlatformInfo').mockImplementation(async () => ({ os, arch: 'x86-64' }));
  vi.spyOn(fakeBrowser.declarativeNetRequest, 'getDynamicRules').mockImplementation(async () => structuredClone(fakes.rules));
  vi.spyOn(fakeBrowser.declarativeNetRequest, 'updateDynamicRules').mockImplementation(async ({ removeRuleIds = [], addRules = [] }) => {
    fakes.rules = [...fakes.rules.filter((rule) => !removeRuleIds.includes(rule.id)), ...structuredClone(addRules)];
  });
  vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockImplementation(async (filter) =>
    structuredClone(fakes.scripts.filter((script) => !filter?.ids || filter.ids.includes(script.id))),
  );
  vi.spyOn(fakeBrowser.scripting, 'unregisterContentScripts').mockImplementation(async (filter) => {
    fakes.scripts = fakes.scripts.filter((script) => filter?.ids !== undefined && !filter.ids.includes(script.id));
  });
  vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockImplementation(async (scripts) => {
    if (scripts.some((s) => fakes.scripts.some((t) => t.id === s.id))) throw new Error('Duplicate script ID');
    fakes.scripts.push(...structuredClone(scripts));
  });
  // Match patterns of the form `https://host/*` (what the background registers), as the browser matches them.
  const matches = (pattern: string, url: string) => url.startsWith(pattern.slice(0, -1));
  vi.spyOn(fakeBrowser.tabs, 'query').mockImplementation(async (query) => {
    const patterns = query.url === undefined ? undefined : [query.url].flat();
    return [...fakes.tabs]
      .filter(([, url]) => !patterns || patterns.some((pattern) => matches(pattern, url)))
      .map(([id, url]) => ({ id, url, index: 0, highlighted: false, active: false, pinned: false, incognito: false }));
  });
  vi.spyOn(fakeBrowser.tabs, 'reload').mockImplementation(async (id) => {
    fakes.reloaded.push(id as number);
  });
  return fakes;
}
