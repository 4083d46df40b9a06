/**
 * Every browser installed on the machine — as a Debian package (or the vendors' own .deb), a
 * Snap, a Flatpak, or in the user's home — and whether it can start the host. How each kind
 * starts native-messaging hosts, with the sources, is in docs/install.md ("Snap and Flatpak").
 */
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import {
  FLATPAK_BROWSERS,
  FLATPAK_TALK_NAME,
  type FlatpakBrowser,
  flatpakManifestPath,
  flatpakOverrideCommand,
  NATIVE_MESSAGING_PROXY_FILES,
} from '../install/flatpak.ts';
import { type Browser, DEB_EXECUTABLE, installTarget } from '../install/paths.ts';
import type { Machine } from './machine.ts';

export type Packaging = 'deb' | 'snap' | 'flatpak' | 'user';

export interface FoundBrowser {
  name: string;
  family: Browser;
  packaging: Packaging;
  /** What showed it: a path, or the command that listed it. */
  evidence: string;
  flatpak?: FlatpakBrowser;
}

export interface Verdict {
  level: 'OK' | 'NG' | '注意';
  detail: string;
  fix?: { ja: string; en: string };
}

const DEB: { family: Browser; name: string; files: string[] }[] = [
  { family: 'chromium', name: 'Chromium', files: ['/usr/lib/chromium/chromium', '/usr/lib/chromium-browser/chromium-browser'] },
  { family: 'chrome', name: 'Google Chrome', files: ['/opt/google/chrome/chrome'] },
  { family: 'edge', name: 'Microsoft Edge', files: ['/opt/microsoft/msedge/msedge'] },
  { family: 'brave', name: 'Brave', files: ['/opt/brave.com/brave/brave'] },
  { family: 'firefox', name: 'Firefox ESR', files: ['/usr/lib/firefox-esr/firefox-esr'] },
  { family: 'firefox', name: 'Firefox', files: ['/usr/lib/firefox/firefox'] },
];

const SNAP: Record<string, { family: Browser; name: string }> = {
  firefox: { family: 'firefox', name: 'Firefox' },
  chromium: { family: 'chromium', name: 'Chromium' },
  brave: { family: 'brave', name: 'Brave' },
};

/** Firefox unpacked from Mozilla's tarball into the home directory (no package manager). */
const USER_FIREFOX = ['firefox/firefox', '.local/share/firefox/firefox', '.local/opt/firefox/firefox'];

export function findBrowsers(machine: Machine): FoundBrowser[] {
  const found: FoundBrowser[] = [];
  for (const entry of DEB) {
    const file = entry.files.find((f) => machine.exists(f));
    if (file) found.push({ name: entry.name, family: entry.family, packaging: 'deb', evidence: file });
  }

  const snapList = machine.run('snap', ['list']);
  const snaps = new Set(
    (snapList ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s+/)[0]!)
      .filter(Boolean),
  );
  for (const [snap, entry] of Object.entries(SNAP)) {
    const bin = `/snap/bin/${snap}`;
    if (snaps.has(snap)) found.push({ ...entry, packaging: 'snap', evidence: 'snap list' });
    else if (machine.exists(bin)) found.push({ ...entry, packaging: 'snap', evidence: bin });
  }

  const listed = new Set((machine.run('flatpak', ['list', '--app', '--columns=application']) ?? '').split('\n').map((l) => l.trim()));
  for (const app of FLATPAK_BROWSERS) {
    const places = [`/var/lib/flatpak/app/${app.id}`, posix.join(machine.home, '.local/share/flatpak/app', app.id)];
    const evidence = listed.has(app.id) ? 'flatpak list --app' : places.find((p) => (p.startsWith('/var/') ? machine.exists(p) : inHome(p)));
    if (evidence) found.push({ name: app.name, family: app.family, packaging: 'flatpak', evidence, flatpak: app });
  }

  for (const rel of USER_FIREFOX) {
    const file = posix.join(machine.home, rel);
    if (inHome(file)) found.push({ name: 'Firefox', family: 'firefox', packaging: 'user', evidence: file });
  }
  return found;
}

/** Paths in the home directory are the user's own (HOME; a test's fake one), never under the simulated root. */
function inHome(homePath: string): boolean {
  return existsSync(homePath);
}

function readHome(homePath: string): string {
  try {
    return readFileSync(homePath, 'utf8');
  } catch {
    return '';
  }
}

/** The manifest this browser family reads outside any sandbox: per user first, then system-wide. */
function ordinaryManifest(machine: Machine, family: Browser): string | null {
  const user = installTarget('linux', family, 'user', { home: machine.home }).manifestPath;
  if (inHome(user)) return user;
  const system = installTarget('linux', family, 'system', { home: machine.home }).manifestPath;
  return machine.exists(system) ? system : null;
}

/** The Debian package's executable is there (not dpkg's database: that is dpkg's own business). */
function installedHow(machine: Machine): 'deb' | 'other' {
  return machine.exists(DEB_EXECUTABLE) ? 'deb' : 'other';
}

/** The command that puts the ordinary manifests in place, for how jpki-bridge is installed here. */
export function installFix(machine: Machine, family?: Browser): { ja: string; en: string } {
  if (installedHow(machine) === 'deb') {
    return { ja: 'sudo apt install --reinstall jpki-bridge を実行してください。', en: 'Run: sudo apt install --reinstall jpki-bridge' };
  }
  const command = `jpki-bridge install${family ? ` --browser ${family}` : ''}`;
  return { ja: `${command} を実行してください。`, en: `Run: ${command}` };
}

export function canStartHost(machine: Machine, browser: FoundBrowser): Verdict {
  const manifest = ordinaryManifest(machine, browser.family);
  switch (browser.packaging) {
    case 'deb':
    case 'user':
      return manifest
        ? { level: 'OK', detail: `manifest ${manifest}` }
        : { level: 'NG', detail: 'no manifest where it looks / マニフェストがありません', fix: installFix(machine, browser.family) };
    case 'snap':
      return snapVerdict(machine, browser, manifest);
    case 'flatpak':
      return flatpakVerdict(machine, browser, manifest);
  }
}

/**
 * Snap Firefox starts hosts through the WebExtensions desktop portal, which reads the ordinary
 * manifest folders and asks the user once (keepassxc PR #8756; the answer is kept in the
 * permission store, table `webextensions`). The Chromium snap talks to the same portal only on
 * Ubuntu, whose portal carries that interface (keepassxc PR #10906); elsewhere it cannot.
 */
function snapVerdict(machine: Machine, browser: FoundBrowser, manifest: string | null): Verdict {
  const ubuntu = /^(ID|ID_LIKE)=.*ubuntu/m.test(machine.read('/etc/os-release') ?? '');
  if (browser.family !== 'firefox' && !ubuntu) {
    return {
      level: 'NG',
      detail: `the ${browser.name} snap cannot start native hosts outside Ubuntu / Ubuntu 以外の ${browser.name} Snap はホストを起動できません`,
      fix: {
        ja: 'Firefox か、.deb 版の Google Chrome / Chromium をお使いください。',
        en: 'Use Firefox, or Google Chrome / Chromium from a .deb package.',
      },
    };
  }
  if (!manifest)
    return { level: 'NG', detail: 'no manifest for the portal to find / ポータルが読むマニフェストがありません', fix: installFix(machine, browser.family) };
  const table = machine.run('flatpak', ['permissions', 'webextensions']);
  const row = table
    ?.split('\n')
    .find((line) => line.includes('jpki_bridge') && line.includes(`snap.${browser.family === 'firefox' ? 'firefox' : browser.family}`));
  if (row && /\bno\b/.test(row)) {
    return {
      level: 'NG',
      detail: `the portal permission was refused / ポータルの許可が「拒否」になっています (${row.trim()})`,
      fix: {
        ja: 'rm ~/.local/share/flatpak/db/webextensions でやり直せます (ブラウザを再起動すると再び尋ねられます)。',
        en: 'Reset it with rm ~/.local/share/flatpak/db/webextensions (the browser asks again after a restart).',
      },
    };
  }
  const via = `via the WebExtensions portal, manifest ${manifest}`;
  if (browser.family !== 'firefox')
    return { level: '注意', detail: `${via}; Ubuntu's portal only, not tested by this project / Ubuntu のポータル経由 (未検証)` };
  if (row) return { level: 'OK', detail: `${via}; permission granted / 許可済み` };
  return { level: '注意', detail: `${via}; the first use asks for permission once / 初回に一度だけ許可を求められます` };
}

function flatpakVerdict(machine: Machine, browser: FoundBrowser, manifest: string | null): Verdict {
  const app = browser.flatpak!;
  const proxy = NATIVE_MESSAGING_PROXY_FILES.find((file) => machine.exists(file));
  if (app.family === 'firefox' && proxy && manifest) {
    return { level: 'OK', detail: `xdg-native-messaging-proxy (${proxy}) and manifest ${manifest}; needs Firefox 157 or later / Firefox 157 以降` };
  }
  const own = flatpakManifestPath(machine.home, app);
  const fix = {
    ja: `jpki-bridge install --flatpak ${app.id} を実行し、表示される flatpak override を一度実行してください。`,
    en: `Run jpki-bridge install --flatpak ${app.id}, then the flatpak override it prints, once.`,
  };
  if (!inHome(own)) return { level: 'NG', detail: `no manifest in the app's folder / アプリのフォルダにマニフェストがありません (${own})`, fix };
  const overrides = `${machine.run('flatpak', ['override', '--user', '--show', app.id]) ?? ''}\n${readHome(posix.join(machine.home, '.local/share/flatpak/overrides', app.id))}`;
  if (!overrides.includes(`${FLATPAK_TALK_NAME}=talk`)) {
    return {
      level: 'NG',
      detail: `the app may not start programs outside its sandbox / サンドボックス外のプログラムを起動する許可がありません`,
      fix: { ja: `${flatpakOverrideCommand(app.id)} を実行してください。`, en: `Run: ${flatpakOverrideCommand(app.id)}` },
    };
  }
  return { level: 'OK', detail: `wrapper manifest ${own}, ${FLATPAK_TALK_NAME} allowed` };
}
