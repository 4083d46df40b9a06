/**
 * The Debian package as a resident gets it (lintian: deb-lintian.test.ts): `dpkg -i`, `jpki-bridge doctor`
 * from the installed package with no `node` anywhere on PATH, Chromium with a fresh profile and
 * no per-profile manifest logging in on the demo through the system-wide manifest, firefox-esr
 * with a fresh HOME (no per-user manifest) doing the same with the PIN typed into its dialog
 * window by xdotool under Xvfb, then `dpkg -P` and nothing of it left. Needs root (dpkg), as CI has.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { createDemoVerifier } from '../../demo/verifier-setup.ts';
import { walkLogin } from '../../demo/walkthrough.ts';
import { launchChromium, type ChromiumSession } from '../../tools/dev/chromium.ts';
import { launchFirefox, type FirefoxSession } from '../../tools/dev/firefox.ts';
import { waitForPinDialog } from '../../tools/dev/firefox-dialog.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { pressKeys, typeInto } from '../../tools/dev/x-input.ts';
import { startXvfb, type VirtualDisplay } from '../../tools/dev/xvfb.ts';
import {
  BROWSERS,
  CHROME_WEB_STORE_UPDATE_URL,
  CHROMIUM_MANIFEST,
  COMMAND,
  CREATED_DIRS_FILE,
  DEB_FILE,
  EXECUTABLE,
  EXTERNAL_EXTENSION_FILES,
  PACKAGE,
  systemManifestPath,
} from '../../tools/package/deb/layout.ts';
import { NODE_RUNTIME_VERSION } from '../../tools/package/node-runtime.ts';
import { DIST } from '../../tools/package/paths.ts';
import { installTarget } from '../../native-host/src/install/paths.ts';
import { toPem } from '../../native-host/src/virtual-card/dev-ca.ts';
import { oneInstallerAtATime } from './one-installer.ts';

const DEB = join(DIST, DEB_FILE);
/** Where a package could leave something; dpkg's and apt's own databases change by design. */
const WATCHED = ['/etc', '/usr', '/var/lib'];
const UNWATCHED = ['/var/lib/dpkg', '/var/lib/apt', '/var/cache'];

// biome-ignore lint/suspicious/noTemplateCurlyInString: ${Status} is dpkg-query's format field, not JavaScript's.
const installed = () => spawnSync('dpkg-query', ['-W', '-f=${Status}', PACKAGE], { encoding: 'utf8' }).stdout.includes('install ok installed');
const purge = () => execFileSync('dpkg', ['-P', PACKAGE], { stdio: 'pipe' });

function snapshot(): Set<string> {
  const out = execFileSync('find', [...WATCHED, '-xdev', ...UNWATCHED.flatMap((dir) => ['-path', dir, '-prune', '-o']), '-print'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return new Set(out.split('\n').filter(Boolean));
}

/** PATH without every directory that has a `node` (on a merged-/usr system /bin is /usr/bin). */
function pathWithoutNode(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !existsSync(join(dir, 'node')))
    .join(delimiter);
}

oneInstallerAtATime(); // first: its hooks wrap this file's own (one-installer.ts)

let before: Set<string>;
let pcscd: Awaited<ReturnType<typeof ensurePcscd>>;
let card: ServedCard | undefined;
let stateFile: string;

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('this file installs a Debian package: run it as root (CI does)');
  if (installed()) purge(); // a run that died half-way
  before = snapshot();
  pcscd = await ensurePcscd();
});

afterAll(async () => {
  if (installed()) purge();
  await card?.stop();
  await pcscd?.stop();
});

describe('the Debian package', () => {
  it('installs with dpkg -i: the command, the host, a manifest for each browser pointing at it, the store pointers', async () => {
    execFileSync('dpkg', ['-i', DEB], { stdio: 'pipe' });
    expect(readlinkSync(COMMAND)).toBe('../lib/jpki-bridge/jpki-bridge');
    for (const browser of BROWSERS) {
      const manifest = JSON.parse(await readFile(systemManifestPath(browser), 'utf8'));
      expect(manifest, browser).toMatchObject({ name: 'jpki_bridge', type: 'stdio', path: EXECUTABLE });
    }
    expect(JSON.parse(await readFile(CHROMIUM_MANIFEST, 'utf8')).allowed_origins).toEqual([`chrome-extension://${CHROMIUM_EXTENSION_ID}/`]);
    for (const file of EXTERNAL_EXTENSION_FILES) {
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ external_update_url: CHROME_WEB_STORE_UPDATE_URL });
    }
  });

  it('after dpkg -i, jpki-bridge --version names the embedded runtime: the Node LTS it was built with, not the Node of this machine', () => {
    const version = execFileSync(COMMAND, ['--version'], { encoding: 'utf8', env: { PATH: pathWithoutNode() } });
    expect(version).toMatch(new RegExp(`^jpki-bridge \\S+ \\(node v${NODE_RUNTIME_VERSION} LTS \\w+\\)\n$`));
  });

  it('runs doctor from the installed package with no node on PATH: every browser OK down to the card', async () => {
    const PATH = pathWithoutNode();
    // The proof that nothing could fall back on the system's Node.
    expect(spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH } }).status).not.toBe(0);
    const home = await mkdtemp(join(tmpdir(), 'jpki-deb-home-')); // no per-user manifest can be found
    // PCSCLITE_CSOCK_NAME: the test's own pcscd when it runs in a sandbox (test/harness/pcscd-sandboxes.ts).
    const socket = process.env.PCSCLITE_CSOCK_NAME;
    const env = { PATH, HOME: home, LANG: 'C.UTF-8', ...(socket ? { PCSCLITE_CSOCK_NAME: socket } : {}) };
    // The card is made by the installed package's own virtual-card command, then served into vpcd.
    stateFile = join(home, 'card.json');
    execFileSync(COMMAND, ['virtual-card', 'create', '--state', stateFile], { env, stdio: 'pipe' });
    card = await serveCard({ stateFile });

    const doctor = spawnSync(COMMAND, ['doctor'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(doctor.stdout).not.toContain('[NG]');
    for (const browser of BROWSERS) expect(doctor.stdout).toContain(`-- ${browser}: ${systemManifestPath(browser)}`);
    expect(doctor.stdout.match(/\[OK\] カード \/ card: my-number-card/g)).toHaveLength(BROWSERS.length);
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
  });

  it('installs per user from the package (no root, no node): the launcher runs the single executable', async () => {
    const home = await mkdtemp(join(tmpdir(), 'jpki-deb-user-'));
    const env = { PATH: pathWithoutNode(), HOME: home, XDG_CONFIG_HOME: join(home, '.config'), LANG: 'C.UTF-8' };
    const install = spawnSync(COMMAND, ['install', '--browser', 'chromium'], { env, encoding: 'utf8' });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(home, '.config/chromium/NativeMessagingHosts/jpki_bridge.json'), 'utf8'));
    const launcher = await readFile(manifest.path, 'utf8');
    // One program, the installed executable, and no node or bundle path in front of `host`.
    expect(launcher).toMatch(/^exec '\/usr\/lib\/jpki-bridge\/[^']+' host --card 'pcsc' "\$@"$/m);
    const doctor = spawnSync(COMMAND, ['doctor', '--browser', 'chromium'], { env, encoding: 'utf8', timeout: 120_000 });
    // The user's manifest's own section: its launcher starts the host without any node.
    const section = doctor.stdout.split(`-- chromium: ${join(home, '.config/chromium/NativeMessagingHosts/jpki_bridge.json')}`)[1]?.split('\n-- ')[0];
    expect(section, doctor.stdout).toContain('[OK] ホストの起動 / host start: hello');
  });

  it('signs and verifies with the installed command: verify trusts the J-LIS roots the package carries, so a development-CA signature is untrusted until --trust names that CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jpki-deb-sign-'));
    const env = { PATH: pathWithoutNode(), HOME: dir, LANG: 'C.UTF-8' };
    const file = join(dir, 'return.xml');
    await writeFile(file, '<Return/>');
    const signed = spawnSync(COMMAND, ['sign', file, '--card', `virtual:${stateFile}`], { env, input: `${VIRTUAL_PINS.sign}\n`, encoding: 'utf8' });
    expect(signed.status, signed.stdout + signed.stderr).toBe(0);
    const untrusted = spawnSync(COMMAND, ['verify', file], { env, encoding: 'utf8' });
    expect(untrusted.status, untrusted.stdout + untrusted.stderr).toBe(1);
    expect(untrusted.stdout).toContain('UNTRUSTED_CERTIFICATE');
    const ca = join(dir, 'devca.pem');
    await writeFile(ca, toPem(JSON.parse(await readFile(stateFile, 'utf8')).ca.sign.certificate));
    const trusted = spawnSync(COMMAND, ['verify', file, '--trust', ca], { env, encoding: 'utf8' });
    expect(trusted.status, trusted.stdout + trusted.stderr).toBe(0);
    expect(trusted.stdout).toContain('署名は有効です / the signature holds');
  });

  describe('Chromium with a fresh profile and no per-profile manifest', () => {
    let server: DemoServer;
    let chromium: ChromiumSession;
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('logs in on the demo through the system-wide manifest', async () => {
      server = await startDemoServer({ port: 0, createVerifier: async (origin) => (await createDemoVerifier({ origin, cardStateFile: stateFile })).verifier });
      chromium = await launchChromium({ lang: 'ja', host: false });
      expect(existsSync(join(chromium.userDataDir, 'NativeMessagingHosts', 'jpki_bridge.json'))).toBe(false);
      const hosts = watchHosts();
      const verdict = await walkLogin({ browser: chromium.browser, baseUrl: server.url, pins: VIRTUAL_PINS, screenshotDir: null });
      const parents = hosts.stop();
      expect(verdict, verdict.detail).toMatchObject({ ok: true });
      // …and the host that answered was the package's: a child of Chromium running the installed executable.
      expect(
        [...parents].some((command) => command.startsWith('chrom')),
        `parents of ${EXECUTABLE}: ${[...parents].join(', ')}`,
      ).toBe(true);
    });
  });

  describe('firefox-esr with a fresh HOME and no per-user manifest', () => {
    let server: DemoServer;
    let display: VirtualDisplay;
    let firefox: FirefoxSession;
    afterAll(async () => {
      await firefox?.close();
      await display?.stop();
      await server?.close();
    });

    it('logs in on the demo through the system-wide manifest, the PIN typed into the dialog window', async () => {
      server = await startDemoServer({ port: 0, createVerifier: async (origin) => (await createDemoVerifier({ origin, cardStateFile: stateFile })).verifier });
      display = await startXvfb();
      firefox = await launchFirefox({ host: false, display: display.display });
      // Where `jpki-bridge install --user` would put it: nothing there, so only the system one can answer.
      expect(existsSync(installTarget('linux', 'firefox', 'user', { home: firefox.home }).manifestPath)).toBe(false);
      const hosts = watchHosts();
      const page = await firefox.openPage(`${server.url}/login`);
      await page.click('#login-jpki');
      const dialog = await waitForPinDialog(display.display);
      await typeInto(display.display, dialog, VIRTUAL_PINS.auth);
      await pressKeys(display.display, dialog, 'Return');
      // The demo server verified the token: its welcome page, or its error status.
      const shown = await page.waitForSelector('[data-testid="welcome"], #status.ng', { timeout: 60_000 });
      const verdict = await shown!.evaluate((element) => ({ welcome: element.matches('[data-testid="welcome"]'), text: element.textContent ?? '' }));
      const parents = hosts.stop();
      expect(verdict.welcome, verdict.text).toBe(true);
      // …and the host that answered was the package's: a child of Firefox running the installed executable.
      expect(
        [...parents].some((command) => command.startsWith('firefox')),
        `parents of ${EXECUTABLE}: ${[...parents].join(', ')}`,
      ).toBe(true);
    });
  });

  it('is purged by dpkg -P with nothing left: no manifest, no file, no directory it made', async () => {
    const files = execFileSync('dpkg', ['-L', PACKAGE], { encoding: 'utf8' })
      .split('\n')
      .filter((path) => path.startsWith('/') && path !== '/.');
    await card?.stop(); // its state file lives in a temp HOME, not under the watched trees
    purge();
    expect(installed()).toBe(false);
    for (const browser of BROWSERS) expect(existsSync(systemManifestPath(browser)), browser).toBe(false);
    expect(existsSync(CREATED_DIRS_FILE)).toBe(false);
    expect(files.filter((file) => !before.has(file) && existsSync(file))).toEqual([]);
    const after = snapshot();
    expect([...after].filter((path) => !before.has(path))).toEqual([]);
    expect([...before].filter((path) => !after.has(path))).toEqual([]);
  });
});

/** Polls /proc for processes running the installed host; stop() gives their parents' command names. */
function watchHosts(): { stop(): Set<string> } {
  const parents = new Set<string>();
  const look = () => {
    for (const pid of readdirSync('/proc')) {
      if (/^\d+$/.test(pid) && exeOf(pid) === EXECUTABLE) parents.add(parentCommand(pid));
    }
  };
  const timer = setInterval(look, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return parents;
    },
  };
}

function exeOf(pid: string): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

function parentCommand(pid: string): string {
  try {
    const ppid = /^\d+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return ppid ? readFileSync(`/proc/${ppid}/comm`, 'utf8').trim() : '';
  } catch {
    return '';
  }
}
