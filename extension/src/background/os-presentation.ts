/**
 * Presenting Windows as the OS to the allow-listed portal sites whose switch is on
 * (settings/allow-list.ts), when the system is neither Windows nor macOS: real portal pages refuse a
 * browser that says Linux (docs/portal-sites.md). Two parts, for exactly those sites and nothing
 * else — every other page sees the browser untouched:
 *   - the page-world script (main-world/present-windows.ts), registered at run time with
 *     `scripting.registerContentScripts` (world MAIN, document_start) for their match patterns;
 *   - dynamic declarativeNetRequest rules that set `User-Agent` (and, where the browser sends
 *     client hints, `Sec-CH-UA-Platform` and `Sec-CH-UA-Platform-Version`) on requests to them.
 * Both are rebuilt from the settings whenever the background starts and whenever the list or a
 * switch changes; every dynamic rule and the one registered script are ours. Tabs already open on
 * a site that has just become covered (a fresh install whose first portal page loaded while the
 * background was registering, or a switch turned on) loaded before the script existed and saw the
 * real OS: they are reloaded once.
 */
import type { DeclarativeNetRequest, Scripting, Tabs } from 'webextension-polyfill';
import { WINDOWS, presentsItself, windowsUserAgent } from '../lib/windows-identity.ts';
import type { PortalSite } from '../settings/allow-list.ts';

export const PRESENT_WINDOWS_SCRIPT = { id: 'present-windows', file: '/present-windows.js' } as const;

/** Every kind of request both Chromium and Firefox know; main_frame too (the default leaves it out). */
const RESOURCE_TYPES: DeclarativeNetRequest.ResourceType[] = [
  'main_frame',
  'sub_frame',
  'stylesheet',
  'script',
  'image',
  'font',
  'object',
  'xmlhttprequest',
  'ping',
  'csp_report',
  'media',
  'websocket',
  'other',
];

export interface BrowserIdentity {
  /** `runtime.getPlatformInfo().os`: `win`, `mac`, `linux`, `cros`, `android`, `openbsd`, … */
  os: string;
  /** The browser's own user agent (the background's `navigator.userAgent`). */
  userAgent: string;
  /** Whether the browser sends UA client hints (Chromium: `navigator.userAgentData` exists). */
  clientHints: boolean;
}

export interface OsPresentationPlan {
  /** Match patterns for the page-world script; empty = not registered. */
  matches: string[];
  rules: DeclarativeNetRequest.Rule[];
}

/** What to register for these sites on this browser (pure). */
export function planOsPresentation(sites: readonly PortalSite[], browser: BrowserIdentity): OsPresentationPlan {
  if (presentsItself(browser.os)) return { matches: [], rules: [] };
  const patterns = sites.filter((site) => site.presentWindows).map((site) => site.pattern);
  const requestHeaders: DeclarativeNetRequest.RuleActionRequestHeadersItemType[] = [
    { header: 'user-agent', operation: 'set', value: windowsUserAgent(browser.userAgent) },
  ];
  if (browser.clientHints) {
    requestHeaders.push(
      { header: 'sec-ch-ua-platform', operation: 'set', value: `"${WINDOWS.platform}"` },
      { header: 'sec-ch-ua-platform-version', operation: 'set', value: `"${WINDOWS.platformVersion}"` },
    );
  }
  return {
    matches: patterns.map(matchPatternOf),
    rules: patterns.map((pattern, index) => ({
      id: index + 1,
      priority: 1,
      action: { type: 'modifyHeaders', requestHeaders },
      condition: { ...requestConditionOf(pattern), resourceTypes: RESOURCE_TYPES },
    })),
  };
}

/** `https://myna.go.jp` → `https://myna.go.jp/*`; `*.example.jp` → `https://*.example.jp/*` (the domain and its subdomains). */
export function matchPatternOf(pattern: string): string {
  return pattern.startsWith('*.') ? `https://${pattern}/*` : `${pattern}/*`;
}

/** Requests to exactly that origin (scheme, host and port), or https to the domain and its subdomains. */
function requestConditionOf(pattern: string): DeclarativeNetRequest.RuleConditionType {
  if (pattern.startsWith('*.')) return { urlFilter: '|https://', requestDomains: [pattern.slice(2)] };
  return { urlFilter: `|${pattern}/` };
}

/** The browser APIs this needs (the background passes the real ones, tests fakes). */
export interface OsPresentationApi {
  identity(): Promise<BrowserIdentity>;
  scripting: Pick<Scripting.Static, 'getRegisteredContentScripts' | 'registerContentScripts' | 'unregisterContentScripts'>;
  declarativeNetRequest: Pick<DeclarativeNetRequest.Static, 'getDynamicRules' | 'updateDynamicRules'>;
  tabs: Pick<Tabs.Static, 'query' | 'reload'>;
}

/** Makes the registered script and the dynamic rules match the sites' switches. */
export async function applyOsPresentation(api: OsPresentationApi, sites: readonly PortalSite[]): Promise<void> {
  const plan = planOsPresentation(sites, await api.identity());
  const existing = await api.declarativeNetRequest.getDynamicRules();
  await api.declarativeNetRequest.updateDynamicRules({ removeRuleIds: existing.map((rule) => rule.id), addRules: plan.rules });
  const registered = await api.scripting.getRegisteredContentScripts({ ids: [PRESENT_WINDOWS_SCRIPT.id] });
  if (registered.length > 0) await api.scripting.unregisterContentScripts({ ids: [PRESENT_WINDOWS_SCRIPT.id] });
  if (plan.matches.length === 0) return;
  const covered = new Set(registered.flatMap((script) => script.matches ?? []));
  await api.scripting.registerContentScripts([
    {
      id: PRESENT_WINDOWS_SCRIPT.id,
      js: [PRESENT_WINDOWS_SCRIPT.file],
      matches: plan.matches,
      runAt: 'document_start',
      world: 'MAIN',
      allFrames: true,
    },
  ]);
  const added = plan.matches.filter((pattern) => !covered.has(pattern));
  if (added.length === 0) return;
  const open = await api.tabs.query({ url: added });
  await Promise.all(open.flatMap((tab) => (tab.id === undefined ? [] : [api.tabs.reload(tab.id)])));
}

/**
 * Applies the settings now and after every change of them, one application at a time (two
 * overlapping ones would register the same script id twice). Resolves after the first.
 */
export function keepOsPresentation(
  api: OsPresentationApi,
  readSites: () => Promise<readonly PortalSite[]>,
  onSettingsChange: (listener: () => void) => void,
): Promise<void> {
  let queue = Promise.resolve();
  const apply = () => {
    queue = queue
      .then(async () => applyOsPresentation(api, await readSites()))
      .catch((error: unknown) => {
        // Nothing to tell a page; the site then sees the browser as it is. Logged for the developer.
        console.warn('jpki-bridge: presenting Windows failed', error);
      });
    return queue;
  };
  onSettingsChange(() => void apply());
  return apply();
}
