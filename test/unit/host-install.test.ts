/** The install path table (pure) for each browser and OS, and the planned actions. */
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { launcherScript, manifestFor } from '../../native-host/src/install/manifest.ts';
import { type Browser, installTarget, type Os, type Scope, userDataDirTarget } from '../../native-host/src/install/paths.ts';
import { plan } from '../../native-host/src/install/plan.ts';
import { parseHostArgs } from '../../native-host/src/host/args.ts';

const HOME = { linux: '/home/taro', darwin: '/Users/taro', win32: 'C:\\Users\\taro' } as const;
const env = (os: Os) => ({ home: HOME[os] });

const TABLE: [Os, Browser, Scope, string, string | null][] = [
  ['linux', 'chrome', 'user', '/home/taro/.config/google-chrome/NativeMessagingHosts/jpki_bridge.json', null],
  ['linux', 'chrome', 'system', '/etc/opt/chrome/native-messaging-hosts/jpki_bridge.json', null],
  ['linux', 'chromium', 'user', '/home/taro/.config/chromium/NativeMessagingHosts/jpki_bridge.json', null],
  ['linux', 'chromium', 'system', '/etc/chromium/native-messaging-hosts/jpki_bridge.json', null],
  ['linux', 'edge', 'user', '/home/taro/.config/microsoft-edge/NativeMessagingHosts/jpki_bridge.json', null],
  ['linux', 'edge', 'system', '/etc/opt/edge/native-messaging-hosts/jpki_bridge.json', null],
  ['linux', 'brave', 'user', '/home/taro/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/jpki_bridge.json', null],
  ['linux', 'brave', 'system', '/etc/opt/brave.com/brave/native-messaging-hosts/jpki_bridge.json', null],
  ['linux', 'firefox', 'user', '/home/taro/.mozilla/native-messaging-hosts/jpki_bridge.json', null],
  ['linux', 'firefox', 'system', '/usr/lib/mozilla/native-messaging-hosts/jpki_bridge.json', null],
  ['darwin', 'chrome', 'user', '/Users/taro/Library/Application Support/Google/Chrome/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'chrome', 'system', '/Library/Google/Chrome/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'chromium', 'user', '/Users/taro/Library/Application Support/Chromium/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'chromium', 'system', '/Library/Application Support/Chromium/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'edge', 'user', '/Users/taro/Library/Application Support/Microsoft Edge/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'edge', 'system', '/Library/Microsoft/Edge/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'brave', 'user', '/Users/taro/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'brave', 'system', '/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'firefox', 'user', '/Users/taro/Library/Application Support/Mozilla/NativeMessagingHosts/jpki_bridge.json', null],
  ['darwin', 'firefox', 'system', '/Library/Application Support/Mozilla/NativeMessagingHosts/jpki_bridge.json', null],
  [
    'win32',
    'chrome',
    'user',
    'C:\\Users\\taro\\AppData\\Local\\jpki-bridge\\jpki_bridge.chromium.json',
    'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\jpki_bridge',
  ],
  ['win32', 'chrome', 'system', 'C:\\ProgramData\\jpki-bridge\\jpki_bridge.chromium.json', 'HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\jpki_bridge'],
  [
    'win32',
    'chromium',
    'user',
    'C:\\Users\\taro\\AppData\\Local\\jpki-bridge\\jpki_bridge.chromium.json',
    'HKCU\\Software\\Chromium\\NativeMessagingHosts\\jpki_bridge',
  ],
  [
    'win32',
    'edge',
    'user',
    'C:\\Users\\taro\\AppData\\Local\\jpki-bridge\\jpki_bridge.chromium.json',
    'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\jpki_bridge',
  ],
  ['win32', 'edge', 'system', 'C:\\ProgramData\\jpki-bridge\\jpki_bridge.chromium.json', 'HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\jpki_bridge'],
  [
    'win32',
    'brave',
    'user',
    'C:\\Users\\taro\\AppData\\Local\\jpki-bridge\\jpki_bridge.chromium.json',
    'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\jpki_bridge',
  ],
  [
    'win32',
    'firefox',
    'user',
    'C:\\Users\\taro\\AppData\\Local\\jpki-bridge\\jpki_bridge.firefox.json',
    'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\jpki_bridge',
  ],
  ['win32', 'firefox', 'system', 'C:\\ProgramData\\jpki-bridge\\jpki_bridge.firefox.json', 'HKLM\\Software\\Mozilla\\NativeMessagingHosts\\jpki_bridge'],
];

describe('install path table', () => {
  it.each(TABLE)('on %s, %s (%s) has its manifest path and registry key', (os, browser, scope, manifest, key) => {
    const target = installTarget(os, browser, scope, env(os));
    expect(target.manifestPath).toBe(manifest);
    expect(target.registryKey).toBe(key);
  });

  it.each([
    ['linux', 'user', '/home/taro/.local/share/jpki-bridge/jpki-bridge-host'],
    ['linux', 'system', '/usr/local/lib/jpki-bridge/jpki-bridge-host'],
    ['darwin', 'user', '/Users/taro/Library/Application Support/jpki-bridge/jpki-bridge-host'],
    ['win32', 'user', 'C:\\Users\\taro\\AppData\\Local\\jpki-bridge\\jpki-bridge-host.cmd'],
    ['win32', 'system', 'C:\\ProgramData\\jpki-bridge\\jpki-bridge-host.cmd'],
  ] as const)('on %s (%s) the launcher has its path', (os, scope, launcher) => {
    expect(installTarget(os, 'chrome', scope, env(os)).launcherPath).toBe(launcher);
  });

  it('--user-data-dir puts the manifest and the launcher in <dir>/NativeMessagingHosts', () => {
    expect(userDataDirTarget('linux', 'chromium', '/tmp/profile')).toMatchObject({
      manifestPath: '/tmp/profile/NativeMessagingHosts/jpki_bridge.json',
      launcherPath: '/tmp/profile/NativeMessagingHosts/jpki-bridge-host',
    });
  });
});

describe('manifest and launcher', () => {
  it('the Chromium manifest allows only the pinned extension', () => {
    expect(manifestFor('edge', '/x/launcher')).toEqual({
      name: 'jpki_bridge',
      description: expect.any(String),
      path: '/x/launcher',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
    });
  });

  it('the Firefox manifest names the extension in allowed_extensions', () => {
    expect(manifestFor('firefox', '/x/launcher')).toMatchObject({ allowed_extensions: [GECKO_EXTENSION_ID] });
    expect(manifestFor('firefox', '/x/launcher')).not.toHaveProperty('allowed_origins');
  });

  it('the launcher uses absolute paths to node and the bundle, without a PATH lookup', () => {
    const sh = launcherScript('linux', ['/opt/node/bin/node', "/srv/it's/cli.mjs"], 'pcsc');
    expect(sh).toMatch(/^#!\/bin\/sh\n/);
    expect(sh).toContain(`exec '/opt/node/bin/node' '/srv/it'\\''s/cli.mjs' host --card 'pcsc' "$@"`);
    const cmd = launcherScript('win32', ['C:\\Program Files\\nodejs\\node.exe', 'C:\\jb\\cli.mjs'], 'pcsc');
    expect(cmd).toContain('"C:\\Program Files\\nodejs\\node.exe" "C:\\jb\\cli.mjs" host --card "pcsc" %*');
  });

  it('the launcher passes the log file when installed with --log', () => {
    expect(launcherScript('linux', ['/n', '/c.mjs'], 'pcsc', '/var/log/jb.log')).toContain(`host --card 'pcsc' --log '/var/log/jb.log' "$@"`);
    expect(launcherScript('win32', ['n.exe', 'c.mjs'], 'pcsc', 'C:\\jb.log')).toContain('host --card "pcsc" --log "C:\\jb.log" %*');
  });
});

describe('plan', () => {
  const base = {
    mode: 'install' as const,
    os: 'linux' as const,
    env: env('linux'),
    scope: 'user' as const,
    card: 'pcsc',
    program: ['/usr/bin/node', '/jb/cli.mjs'],
  };

  it('--browser all skips absent browsers and reports them', () => {
    const actions = plan({ ...base, browser: 'all', exists: (p) => p === '/home/taro/.config/chromium' });
    expect(actions.filter((a) => a.kind === 'skip').map((a) => (a as { browser: string }).browser)).toEqual(['chrome', 'edge', 'brave', 'firefox']);
    expect(actions.filter((a) => a.kind === 'write').map((a) => (a as { path: string }).path)).toEqual([
      '/home/taro/.local/share/jpki-bridge/jpki-bridge-host',
      '/home/taro/.config/chromium/NativeMessagingHosts/jpki_bridge.json',
    ]);
  });

  it('on Windows it adds registry keys and a .cmd launcher', () => {
    const actions = plan({ ...base, os: 'win32', env: env('win32'), browser: 'chrome', exists: () => true });
    expect(actions).toContainEqual({
      kind: 'reg-add',
      key: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\jpki_bridge',
      value: 'C:\\Users\\taro\\AppData\\Local\\jpki-bridge\\jpki_bridge.chromium.json',
    });
    expect(actions.some((a) => a.kind === 'write' && a.path.endsWith('jpki-bridge-host.cmd'))).toBe(true);
  });

  it('uninstall removes the manifests, the launcher and the keys', () => {
    const actions = plan({ ...base, mode: 'uninstall', os: 'win32', env: env('win32'), browser: 'firefox' });
    expect(actions.map((a) => a.kind)).toEqual(['reg-delete', 'remove', 'remove']);
  });
});

describe('host arguments', () => {
  it("the host ignores Chrome's origin argument and --parent-window on Windows", () => {
    expect(parseHostArgs(['--card', 'pcsc', `chrome-extension://${CHROMIUM_EXTENSION_ID}/`, '--parent-window=42'])).toEqual({
      card: 'pcsc',
      log: undefined,
      ignored: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`, '--parent-window=42'],
    });
  });
  it("the host ignores Firefox's manifest path and extension id arguments", () => {
    expect(parseHostArgs(['--log=/tmp/h.log', '/usr/lib/mozilla/native-messaging-hosts/jpki_bridge.json', GECKO_EXTENSION_ID])).toMatchObject({
      card: undefined,
      log: '/tmp/h.log',
    });
  });
});

describe('--card values (issue 19 finding 9)', () => {
  it('reads pcsc, pcsc:READER and virtual:FILE, and refuses an empty reader name', async () => {
    const { parseCardSpec } = await import('../../native-host/src/card/create-backend.ts');
    expect(parseCardSpec('pcsc')).toEqual({ kind: 'pcsc' });
    expect(parseCardSpec('pcsc:Virtual PCD 00 00')).toEqual({ kind: 'pcsc', reader: 'Virtual PCD 00 00' });
    expect(parseCardSpec('virtual:/tmp/c.json')).toEqual({ kind: 'virtual', file: '/tmp/c.json' });
    expect(() => parseCardSpec('pcsc:')).toThrow(/pcsc:READER/);
  });
});
