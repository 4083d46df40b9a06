/**
 * Where each browser looks for native-messaging hosts, as a pure function of (os, browser,
 * scope, home/env) — no file system access, so it is tested against a table for every browser
 * and OS. Sources: Chrome's and Firefox's native-messaging documentation; Edge's and Brave's
 * follow Chromium's pattern with their own vendor directories.
 */
import { posix, win32 } from 'node:path';
import { NATIVE_HOST_NAME } from '@jpki-bridge/shared/constants';

export type Os = 'linux' | 'darwin' | 'win32';

/** Where the Debian package puts the host (tools/package/deb/layout.ts builds on it; doctor looks for it). */
export const DEB_EXECUTABLE = '/usr/lib/jpki-bridge/jpki-bridge';
export type Browser = 'chrome' | 'chromium' | 'edge' | 'brave' | 'firefox';
export type Scope = 'user' | 'system';
export const BROWSERS: readonly Browser[] = ['chrome', 'chromium', 'edge', 'brave', 'firefox'];

export interface PathEnv {
  home: string;
  /** Windows: %LOCALAPPDATA%, %APPDATA%, %ProgramData% (defaults derived from home). */
  localAppData?: string;
  appData?: string;
  programData?: string;
}

export interface InstallTarget {
  os: Os;
  browser: Browser;
  scope: Scope;
  /** The manifest file (on Windows: the file the registry value points to). */
  manifestPath: string;
  /** Windows only: the key whose default value is manifestPath. */
  registryKey: string | null;
  /** The launcher script the manifest's `path` names. */
  launcherPath: string;
  /** The browser counts as installed when any of these exists. */
  detect: string[];
}

const FILE = `${NATIVE_HOST_NAME}.json`;

const LINUX: Record<Browser, { user: string; system: string; config: string }> = {
  chrome: { config: '.config/google-chrome', user: '.config/google-chrome/NativeMessagingHosts', system: '/etc/opt/chrome/native-messaging-hosts' },
  chromium: { config: '.config/chromium', user: '.config/chromium/NativeMessagingHosts', system: '/etc/chromium/native-messaging-hosts' },
  edge: { config: '.config/microsoft-edge', user: '.config/microsoft-edge/NativeMessagingHosts', system: '/etc/opt/edge/native-messaging-hosts' },
  brave: {
    config: '.config/BraveSoftware/Brave-Browser',
    user: '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
    system: '/etc/opt/brave.com/brave/native-messaging-hosts',
  },
  firefox: { config: '.mozilla', user: '.mozilla/native-messaging-hosts', system: '/usr/lib/mozilla/native-messaging-hosts' },
};

const MAC: Record<Browser, { user: string; system: string; config: string }> = {
  chrome: {
    config: 'Library/Application Support/Google/Chrome',
    user: 'Library/Application Support/Google/Chrome/NativeMessagingHosts',
    system: '/Library/Google/Chrome/NativeMessagingHosts',
  },
  chromium: {
    config: 'Library/Application Support/Chromium',
    user: 'Library/Application Support/Chromium/NativeMessagingHosts',
    system: '/Library/Application Support/Chromium/NativeMessagingHosts',
  },
  edge: {
    config: 'Library/Application Support/Microsoft Edge',
    user: 'Library/Application Support/Microsoft Edge/NativeMessagingHosts',
    system: '/Library/Microsoft/Edge/NativeMessagingHosts',
  },
  brave: {
    config: 'Library/Application Support/BraveSoftware/Brave-Browser',
    user: 'Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
    system: '/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts',
  },
  firefox: {
    config: 'Library/Application Support/Firefox',
    user: 'Library/Application Support/Mozilla/NativeMessagingHosts',
    system: '/Library/Application Support/Mozilla/NativeMessagingHosts',
  },
};

/** Windows: registry key under HKCU/HKLM, and the browser's data dir (under %LOCALAPPDATA%, Firefox %APPDATA%). */
const WINDOWS: Record<Browser, { key: string; data: string; roaming?: boolean }> = {
  chrome: { key: 'Software\\Google\\Chrome\\NativeMessagingHosts', data: 'Google\\Chrome\\User Data' },
  chromium: { key: 'Software\\Chromium\\NativeMessagingHosts', data: 'Chromium\\User Data' },
  edge: { key: 'Software\\Microsoft\\Edge\\NativeMessagingHosts', data: 'Microsoft\\Edge\\User Data' },
  brave: { key: 'Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts', data: 'BraveSoftware\\Brave-Browser\\User Data' },
  firefox: { key: 'Software\\Mozilla\\NativeMessagingHosts', data: 'Mozilla\\Firefox', roaming: true },
};

export function launcherDir(os: Os, scope: Scope, env: PathEnv): string {
  if (os === 'win32') {
    const w = windowsDirs(env);
    return win32.join(scope === 'user' ? w.localAppData : w.programData, 'jpki-bridge');
  }
  if (os === 'darwin') return scope === 'user' ? posix.join(env.home, 'Library/Application Support/jpki-bridge') : '/Library/Application Support/jpki-bridge';
  return scope === 'user' ? posix.join(env.home, '.local/share/jpki-bridge') : '/usr/local/lib/jpki-bridge';
}

export function launcherName(os: Os): string {
  return os === 'win32' ? 'jpki-bridge-host.cmd' : 'jpki-bridge-host';
}

export function installTarget(os: Os, browser: Browser, scope: Scope, env: PathEnv): InstallTarget {
  const launcherPath = (os === 'win32' ? win32 : posix).join(launcherDir(os, scope, env), launcherName(os));
  if (os === 'win32') {
    const w = windowsDirs(env);
    const entry = WINDOWS[browser];
    return {
      os,
      browser,
      scope,
      // One manifest per browser family beside the launcher; Chromium browsers share its content.
      manifestPath: win32.join(launcherDir(os, scope, env), browser === 'firefox' ? `${NATIVE_HOST_NAME}.firefox.json` : `${NATIVE_HOST_NAME}.chromium.json`),
      registryKey: `${scope === 'user' ? 'HKCU' : 'HKLM'}\\${entry.key}\\${NATIVE_HOST_NAME}`,
      launcherPath,
      detect: [win32.join(entry.roaming ? w.appData : w.localAppData, entry.data)],
    };
  }
  const table = os === 'darwin' ? MAC : LINUX;
  const entry = table[browser];
  const dir = scope === 'user' ? posix.join(env.home, entry.user) : entry.system;
  return {
    os,
    browser,
    scope,
    manifestPath: posix.join(dir, FILE),
    registryKey: null,
    launcherPath,
    // A system-wide install is for every user: the browser's system directory's parent, or any user's config.
    detect: scope === 'user' ? [posix.join(env.home, entry.config)] : [posix.dirname(entry.system), posix.join(env.home, entry.config)],
  };
}

/** `--user-data-dir DIR`: Chromium also reads per-profile hosts from DIR/NativeMessagingHosts. */
export function userDataDirTarget(os: Os, browser: Browser, dir: string): InstallTarget {
  const p = os === 'win32' ? win32 : posix;
  const hosts = p.join(dir, 'NativeMessagingHosts');
  return {
    os,
    browser,
    scope: 'user',
    manifestPath: p.join(hosts, FILE),
    registryKey: null,
    launcherPath: p.join(hosts, launcherName(os)),
    detect: [],
  };
}

function windowsDirs(env: PathEnv) {
  return {
    localAppData: env.localAppData ?? win32.join(env.home, 'AppData\\Local'),
    appData: env.appData ?? win32.join(env.home, 'AppData\\Roaming'),
    programData: env.programData ?? 'C:\\ProgramData',
  };
}
