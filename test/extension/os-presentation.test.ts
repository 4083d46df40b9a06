/**
 * Presenting Windows to the allow-listed portal sites whose switch is on: what is registered
 * (the page-world script, the header rules) for which sites on which OS, and the background
 * keeping it in step with the options (WXT's fakeBrowser, storage.local, startBackground()).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_PORTAL_ALLOW_LIST } from '@jpki-bridge/shared/origin';
import { setPresentWindows, writeAllowList, type PortalSite } from '../../extension/src/settings/allow-list.ts';
import { startBackground } from '../../extension/src/background/main.ts';
import { PRESENT_WINDOWS_SCRIPT, matchPatternOf, planOsPresentation } from '../../extension/src/background/os-presentation.ts';
import { presentWindows } from '../../extension/src/main-world/present-windows.ts';
import { presentsItself, WINDOWS, windowsUserAgent } from '../../extension/src/lib/windows-identity.ts';
import { CHROMIUM_LINUX_UA, installOsPresentationFakes } from './os-presentation-fakes.ts';
import { installRuntimePorts } from './runtime-ports.ts';

const CHROMIUM_LINUX = CHROMIUM_LINUX_UA;
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const site = (pattern: string, presentWindows: boolean, preset = false): PortalSite => ({ pattern, preset, presentWindows });

describe('the Windows identity', () => {
  it('is what Chromium and Firefox on 64-bit Windows say', () => {
    expect(windowsUserAgent(CHROMIUM_LINUX)).toBe(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    );
    expect(windowsUserAgent(FIREFOX_LINUX)).toBe('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0');
    expect(windowsUserAgent('Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36')).toBe(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36',
    );
  });

  it('the page-world script makes each browser’s navigator read as that browser on Windows', () => {
    const firefox = { userAgent: FIREFOX_LINUX, appVersion: '5.0 (X11)', platform: 'Linux x86_64', oscpu: 'Linux x86_64' };
    presentWindows(firefox as unknown as Navigator);
    expect({ ...firefox }).toEqual({ userAgent: windowsUserAgent(FIREFOX_LINUX), appVersion: '5.0 (Windows)', platform: 'Win32', oscpu: WINDOWS.token });
    // Chromium's appVersion is its user agent without `Mozilla/`.
    const chromium = { userAgent: CHROMIUM_LINUX, appVersion: CHROMIUM_LINUX.replace('Mozilla/', ''), platform: 'Linux x86_64' };
    presentWindows(chromium as unknown as Navigator);
    expect({ ...chromium }).toEqual({
      userAgent: windowsUserAgent(CHROMIUM_LINUX),
      appVersion: windowsUserAgent(CHROMIUM_LINUX).replace('Mozilla/', ''),
      platform: 'Win32',
    });
  });

  it('is presented only where the OS is neither Windows nor macOS', () => {
    expect(presentsItself('win')).toBe(true);
    expect(presentsItself('mac')).toBe(true);
    for (const os of ['linux', 'cros', 'openbsd', 'android', 'fuchsia']) expect(presentsItself(os)).toBe(false);
  });
});

describe('planOsPresentation', () => {
  const linux = { os: 'linux', userAgent: CHROMIUM_LINUX, clientHints: true };

  it('covers exactly the sites whose switch is on', () => {
    const plan = planOsPresentation(
      [site('https://myna.go.jp', true, true), site('https://www.keisan.nta.go.jp', false, true), site('http://localhost:8765', true)],
      linux,
    );
    expect(plan.matches).toEqual(['https://myna.go.jp/*', 'http://localhost:8765/*']);
    expect(plan.rules.map((rule) => rule.condition.urlFilter)).toEqual(['|https://myna.go.jp/', '|http://localhost:8765/']);
    expect(new Set(plan.rules.map((rule) => rule.id)).size).toBe(2);
  });

  it('sets the Windows user agent and, where the browser sends client hints, the platform hints', () => {
    const [rule] = planOsPresentation([site('https://myna.go.jp', true, true)], linux).rules;
    expect(rule?.action).toEqual({
      type: 'modifyHeaders',
      requestHeaders: [
        { header: 'user-agent', operation: 'set', value: windowsUserAgent(CHROMIUM_LINUX) },
        { header: 'sec-ch-ua-platform', operation: 'set', value: '"Windows"' },
        { header: 'sec-ch-ua-platform-version', operation: 'set', value: '"10.0.0"' },
      ],
    });
    expect(rule?.condition.resourceTypes).toContain('main_frame');
    const [firefox] = planOsPresentation([site('https://myna.go.jp', true, true)], { os: 'linux', userAgent: FIREFOX_LINUX, clientHints: false }).rules;
    expect(firefox?.action.requestHeaders).toEqual([{ header: 'user-agent', operation: 'set', value: windowsUserAgent(FIREFOX_LINUX) }]);
  });

  it('a wildcard the user added covers https on the domain and its subdomains only', () => {
    const plan = planOsPresentation([site('*.example.jp', true)], linux);
    expect(plan.matches).toEqual(['https://*.example.jp/*']);
    expect(plan.rules[0]?.condition).toMatchObject({ urlFilter: '|https://', requestDomains: ['example.jp'] });
    expect(matchPatternOf('https://clientweb.e-tax.nta.go.jp')).toBe('https://clientweb.e-tax.nta.go.jp/*');
  });

  it('registers nothing on Windows and macOS, whatever the switches say', () => {
    for (const os of ['win', 'mac']) expect(planOsPresentation([site('https://myna.go.jp', true, true)], { ...linux, os })).toEqual({ matches: [], rules: [] });
  });
});

describe('the background keeps the registration in step with the options', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    installRuntimePorts();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('on Linux: the page-world script (MAIN, document_start) and the header rules for the preset, at start', async () => {
    const fakes = installOsPresentationFakes('linux');
    startBackground();
    await vi.waitFor(() => expect(fakes.scripts).toHaveLength(1));
    expect(fakes.scripts[0]).toMatchObject({
      id: PRESENT_WINDOWS_SCRIPT.id,
      js: [PRESENT_WINDOWS_SCRIPT.file],
      matches: DEFAULT_PORTAL_ALLOW_LIST.map((origin) => `${origin}/*`),
      runAt: 'document_start',
      world: 'MAIN',
    });
    expect(fakes.rules.map((rule) => rule.condition.urlFilter)).toEqual(DEFAULT_PORTAL_ALLOW_LIST.map((origin) => `|${origin}/`));
  });

  it('a site the user adds is not covered until its switch is turned on; turning a preset off removes it', async () => {
    const fakes = installOsPresentationFakes('linux');
    startBackground();
    await vi.waitFor(() => expect(fakes.scripts).toHaveLength(1));
    await writeAllowList([...DEFAULT_PORTAL_ALLOW_LIST, 'https://city.example']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fakes.scripts[0]?.matches).not.toContain('https://city.example/*');
    await setPresentWindows('https://city.example', true);
    await vi.waitFor(() => expect(fakes.scripts[0]?.matches).toContain('https://city.example/*'));
    expect(fakes.rules.map((rule) => rule.condition.urlFilter)).toContain('|https://city.example/');
    for (const origin of DEFAULT_PORTAL_ALLOW_LIST) await setPresentWindows(origin, false);
    await vi.waitFor(() => expect(fakes.scripts[0]?.matches).toEqual(['https://city.example/*']));
    await setPresentWindows('https://city.example', false);
    await vi.waitFor(() => expect(fakes.scripts).toEqual([]));
    expect(fakes.rules).toEqual([]);
  });

  it('portal tabs open before the script was registered are reloaded once; other tabs are left alone', async () => {
    const fakes = installOsPresentationFakes('linux');
    const portal = `${DEFAULT_PORTAL_ALLOW_LIST[0]}/login`;
    fakes.tabs.set(1, portal);
    fakes.tabs.set(2, 'https://news.example/');
    startBackground();
    await vi.waitFor(() => expect(fakes.reloaded).toEqual([1]));
    // A switch turned on covers a new site: its open tab is reloaded; the portal tab, covered already, is not again.
    fakes.tabs.set(3, 'https://city.example/form');
    await writeAllowList([...DEFAULT_PORTAL_ALLOW_LIST, 'https://city.example']);
    await setPresentWindows('https://city.example', true);
    await vi.waitFor(() => expect(fakes.reloaded).toEqual([1, 3]));
  });

  it('rules and a registration left from before (another list, an old browser version) are replaced, not added to', async () => {
    const fakes = installOsPresentationFakes('linux');
    fakes.rules = [
      {
        id: 7,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'user-agent', operation: 'set', value: 'old' }] },
        condition: { urlFilter: '|https://gone.example/' },
      },
    ];
    fakes.scripts = [{ id: PRESENT_WINDOWS_SCRIPT.id, js: [PRESENT_WINDOWS_SCRIPT.file], matches: ['https://gone.example/*'] }];
    startBackground();
    await vi.waitFor(() => expect(fakes.scripts[0]?.matches).toEqual(DEFAULT_PORTAL_ALLOW_LIST.map((origin) => `${origin}/*`)));
    expect(fakes.rules.map((rule) => rule.condition.urlFilter)).toEqual(DEFAULT_PORTAL_ALLOW_LIST.map((origin) => `|${origin}/`));
  });

  it('on Windows nothing is registered and no header is touched', async () => {
    const fakes = installOsPresentationFakes('win');
    startBackground();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fakeBrowser.declarativeNetRequest.updateDynamicRules).toHaveBeenCalled();
    expect(fakes.scripts).toEqual([]);
    expect(fakes.rules).toEqual([]);
  });
});
