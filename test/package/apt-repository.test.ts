/**
 * The APT repository as a resident uses it: dist/apt/ served over HTTP on 127.0.0.1, its own
 * jpki-bridge.sources (URIs pointed at that server, Signed-By at its keyring in a temporary
 * folder), `apt-get update` with no insecure option, `apt-get install jpki-bridge`; then a higher
 * version, signed with the same key, arrives through `apt-get upgrade`, and the user's
 * installation uuid and per-user manifest survive it. apt runs with its own sources, lists and
 * cache (Dir::… options), so the machine's apt configuration is neither used nor touched. The
 * higher version is the built .deb repacked with a bumped Debian revision (cheap, and what a
 * revision-only release is). Needs root (dpkg), as CI has.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APT_KEYRING, APT_SOURCES, THROWAWAY_KEY_FILE, writeAptRepository } from '../../tools/package/apt-repository.ts';
import { BROWSERS, COMMAND, DEB_FILE, DEB_VERSION, EXECUTABLE, PACKAGE, systemManifestPath } from '../../tools/package/deb/layout.ts';
import { NODE_RUNTIME_VERSION } from '../../tools/package/node-runtime.ts';
import { DIST, STAGE, VERSION } from '../../tools/package/paths.ts';
import { oneInstallerAtATime } from './one-installer.ts';

const UPGRADE_VERSION = `${VERSION}-${Number(DEB_VERSION.split('-').pop()) + 1}`;

// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${field} format, not a template
const installedVersion = () => spawnSync('dpkg-query', ['-W', '-f=${Status} ${Version}', PACKAGE], { encoding: 'utf8' }).stdout;
const purge = () => execFileSync('dpkg', ['-P', PACKAGE], { stdio: 'pipe' });

oneInstallerAtATime(); // first: its hooks wrap this file's own (one-installer.ts)

let work: string;
let served: string;
let server: Server;
let url: string;

/**
 * apt with this test's sources, lists, cache and state only. Asynchronous: the repository's
 * server runs in this process and must go on answering.
 */
function apt(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const options = [
    `Dir::Etc::sourcelist=${join(work, 'sources.list')}`,
    `Dir::Etc::sourceparts=${join(work, 'sources.list.d')}`,
    `Dir::State::Lists=${join(work, 'lists')}`,
    `Dir::State::extended_states=${join(work, 'extended_states')}`,
    `Dir::Cache=${join(work, 'cache')}`,
  ].flatMap((o) => ['-o', o]);
  return new Promise((resolve) => {
    execFile(
      'apt-get',
      [...options, ...args],
      { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LANG: 'C.UTF-8' }, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('this file installs a Debian package: run it as root (CI does)');
  if (installedVersion().includes('installed')) purge();
  work = await mkdtemp(join(tmpdir(), 'jpki-apt-'));
  for (const dir of ['sources.list.d', 'lists/partial', 'cache/archives/partial']) mkdirSync(join(work, dir), { recursive: true });
  served = join(DIST, 'apt');
  server = createServer((request, response) => {
    const path = normalize(join(served, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(served) || !existsSync(path) || !statSync(path).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-length': statSync(path).size });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  if (installedVersion().includes('installed')) purge();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the APT repository', () => {
  it('is a signed repository: InRelease, Release and Release.gpg, the keyring, and a deb822 source with Signed-By', () => {
    for (const file of ['dists/stable/InRelease', 'dists/stable/Release', 'dists/stable/Release.gpg', 'dists/stable/main/binary-amd64/Packages', APT_KEYRING]) {
      expect(existsSync(join(DIST, 'apt', file)), file).toBe(true);
    }
    // gpgv, as apt runs it, with nothing but the repository's own keyring.
    const verify = spawnSync('gpgv', ['--keyring', join(DIST, 'apt', APT_KEYRING), join(DIST, 'apt/dists/stable/InRelease')], { encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    const sources = readFileSync(join(DIST, 'apt', APT_SOURCES), 'utf8');
    expect(sources).toMatch(/^Types: deb$/m);
    expect(sources).toMatch(/^Signed-By: \/usr\/share\/keyrings\/jpki-bridge-archive-keyring\.gpg$/m);
    expect(readFileSync(join(DIST, 'apt/dists/stable/main/binary-amd64/Packages'), 'utf8')).toContain(`Version: ${DEB_VERSION}`);
  });

  it('installs jpki-bridge through apt-get update and install, verified by its key, with no insecure option', async () => {
    // The source file as shipped, pointed at this server and at the keyring where this test keeps it.
    const keyring = join(work, APT_KEYRING);
    writeFileSync(keyring, readFileSync(join(DIST, 'apt', APT_KEYRING)));
    const shipped = readFileSync(join(DIST, 'apt', APT_SOURCES), 'utf8');
    writeFileSync(
      join(work, 'sources.list.d', APT_SOURCES),
      shipped.replace(/^URIs: .*$/m, `URIs: ${url}`).replace(/^Signed-By: .*$/m, `Signed-By: ${keyring}`),
    );

    const update = await apt('update');
    expect(update.status, update.stdout + update.stderr).toBe(0);
    expect(update.stdout + update.stderr).not.toMatch(/NO_PUBKEY|not signed|insecure/i);
    const install = await apt('install', '-y', '--no-install-recommends', PACKAGE);
    expect(install.status, install.stdout + install.stderr).toBe(0);
    expect(installedVersion()).toBe(`install ok installed ${DEB_VERSION}`);
    // The embedded runtime is the LTS the package was built with, whatever Node this machine has.
    expect(execFileSync(COMMAND, ['--version'], { encoding: 'utf8' })).toMatch(
      new RegExp(`^jpki-bridge ${VERSION} \\(node v${NODE_RUNTIME_VERSION} LTS \\w+\\)\n$`),
    );
  });

  it("delivers a higher version through apt-get upgrade, and the user's installation uuid and manifests survive", async () => {
    // A resident's own installation: the per-user manifest and the portal uuid.
    const home = await mkdtemp(join(tmpdir(), 'jpki-apt-user-'));
    const env = { PATH: '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), LANG: 'C.UTF-8' };
    const user = spawnSync(COMMAND, ['install', '--browser', 'chromium'], { env, encoding: 'utf8' });
    expect(user.status, user.stdout + user.stderr).toBe(0);
    const uuidFile = join(home, '.config/jpki-bridge/installation-uuid');
    const userManifest = join(home, '.config/chromium/NativeMessagingHosts/jpki_bridge.json');
    const uuid = readFileSync(uuidFile, 'utf8');
    const manifest = readFileSync(userManifest, 'utf8');

    // The next revision: the same files, a higher Version (dpkg-deb -R / -b, uncompressed: quick).
    const tree = join(work, 'upgrade-root');
    execFileSync('dpkg-deb', ['-R', join(DIST, DEB_FILE), tree]);
    const control = join(tree, 'DEBIAN/control');
    writeFileSync(control, readFileSync(control, 'utf8').replace(/^Version: .*$/m, `Version: ${UPGRADE_VERSION}`));
    const upgraded = join(work, `${PACKAGE}_${UPGRADE_VERSION}_amd64.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Znone', '--build', tree, upgraded], { stdio: 'pipe' });
    const signingKey = existsSync(join(STAGE, THROWAWAY_KEY_FILE))
      ? readFileSync(join(STAGE, THROWAWAY_KEY_FILE), 'utf8')
      : process.env.JPKI_BRIDGE_APT_SIGNING_KEY!;
    const next = join(work, 'repo-next');
    writeAptRepository({ debs: [join(DIST, DEB_FILE), upgraded], out: next, signingKey, url });
    expect(readFileSync(join(next, APT_KEYRING))).toEqual(readFileSync(join(DIST, 'apt', APT_KEYRING))); // the same key
    served = next;

    expect((await apt('update')).status).toBe(0);
    const upgrade = await apt('upgrade', '-y');
    expect(upgrade.status, upgrade.stdout + upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toMatch(/1 upgraded/);
    expect(installedVersion()).toBe(`install ok installed ${UPGRADE_VERSION}`);

    expect(readFileSync(uuidFile, 'utf8')).toBe(uuid);
    expect(readFileSync(userManifest, 'utf8')).toBe(manifest);
    for (const browser of BROWSERS) expect(JSON.parse(readFileSync(systemManifestPath(browser), 'utf8')).path, browser).toBe(EXECUTABLE);
    // The user's launcher still starts the (upgraded) executable.
    expect(readFileSync(JSON.parse(manifest).path, 'utf8')).toContain(EXECUTABLE);
    expect(spawnSync(COMMAND, ['--version'], { encoding: 'utf8' }).status).toBe(0);
  });
});
