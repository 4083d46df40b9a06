/**
 * dist/apt/: a signed APT repository holding the .deb, so that a resident who added it once gets
 * every fix through `apt upgrade` (docs/packaging.md "The APT repository"). The standard layout
 * (pool/ + dists/stable/main/binary-amd64/), indexed by apt-ftparchive (apt-utils), signed by gpg
 * both ways apt reads (InRelease, and Release + Release.gpg); beside it the public keyring and a
 * deb822 `jpki-bridge.sources` whose Signed-By names that keyring, so that the key is trusted for
 * this repository only (Debian wiki "DebianRepository/UseThirdParty").
 *
 * The signing key: JPKI_BRIDGE_APT_SIGNING_KEY (an ASCII-armoured secret key without passphrase)
 * for a release; without it a throwaway key is made for this build, and its secret kept in
 * dist/stage/ so that the package test can sign a later version with the same key.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PACKAGE } from './deb/layout.ts';

const APT_SUITE = 'stable';
const APT_COMPONENT = 'main';
export const APT_KEYRING = `${PACKAGE}-archive-keyring.gpg`;
export const APT_SOURCES = `${PACKAGE}.sources`;
/** Where residents put the keyring (Debian's convention for third-party archive keys). */
const APT_KEYRING_INSTALLED = `/usr/share/keyrings/${APT_KEYRING}`;
/** A build's throwaway secret key, kept for the package test (dist/stage/ is never published). */
export const THROWAWAY_KEY_FILE = 'apt-throwaway-key.asc';
/** Where the repository is published; a release sets JPKI_BRIDGE_APT_URL. */
export const DEFAULT_APT_URL = 'https://jpki-bridge.github.io/jpki-bridge/apt/';

export interface AptRepositoryOptions {
  /** The .deb files it carries (every version apt may choose from). */
  debs: readonly string[];
  out: string;
  /** ASCII-armoured secret key. */
  signingKey: string;
  url: string;
}

/** The deb822 source a resident puts in /etc/apt/sources.list.d/ (sources.list(5)). */
function sourcesFile(url: string, keyring = APT_KEYRING_INSTALLED): string {
  return ['Types: deb', `URIs: ${url}`, `Suites: ${APT_SUITE}`, `Components: ${APT_COMPONENT}`, 'Architectures: amd64', `Signed-By: ${keyring}`, ''].join('\n');
}

export function writeAptRepository(options: AptRepositoryOptions): void {
  const { out } = options;
  rmSync(out, { recursive: true, force: true });
  const pool = join(out, 'pool', APT_COMPONENT, PACKAGE[0]!, PACKAGE);
  const dist = join(out, 'dists', APT_SUITE);
  const binary = join(dist, APT_COMPONENT, 'binary-amd64');
  mkdirSync(pool, { recursive: true });
  mkdirSync(binary, { recursive: true });
  for (const deb of options.debs) copyFileSync(deb, join(pool, basename(deb)));

  const packages = execFileSync('apt-ftparchive', ['packages', 'pool'], { cwd: out, encoding: 'utf8' });
  writeFileSync(join(binary, 'Packages'), packages);
  writeFileSync(join(binary, 'Packages.gz'), gzipSync(packages, { level: 9 }));
  const release = execFileSync(
    'apt-ftparchive',
    [
      ...Object.entries({ Origin: PACKAGE, Label: PACKAGE, Suite: APT_SUITE, Codename: APT_SUITE, Architectures: 'amd64', Components: APT_COMPONENT }).flatMap(
        ([k, v]) => ['-o', `APT::FTPArchive::Release::${k}=${v}`],
      ),
      'release',
      '.',
    ],
    { cwd: dist, encoding: 'utf8' },
  );
  writeFileSync(join(dist, 'Release'), release);

  const gnupg = mkdtempSync(join(tmpdir(), 'jpki-apt-gnupg-'));
  try {
    const gpg = (args: string[], input?: string) =>
      execFileSync('gpg', ['--homedir', gnupg, '--batch', '--yes', '--quiet', ...args], { input, stdio: ['pipe', 'pipe', 'pipe'] });
    gpg(['--import'], options.signingKey);
    const fingerprint = /^fpr:{9}([0-9A-F]{40}):/m.exec(gpg(['--list-secret-keys', '--with-colons']).toString())?.[1];
    if (!fingerprint) throw new Error('the APT signing key has no secret key in it');
    gpg(['--local-user', fingerprint, '--clearsign', '--output', join(dist, 'InRelease'), join(dist, 'Release')]);
    gpg(['--local-user', fingerprint, '--armor', '--detach-sign', '--output', join(dist, 'Release.gpg'), join(dist, 'Release')]);
    writeFileSync(join(out, APT_KEYRING), gpg(['--export', fingerprint]));
  } finally {
    rmSync(gnupg, { recursive: true, force: true });
  }
  writeFileSync(join(out, APT_SOURCES), sourcesFile(options.url));
}

/** The release key from the environment, or a new throwaway one (ed25519, a week) for this build. */
export function aptSigningKey(env: NodeJS.ProcessEnv = process.env): { key: string; throwaway: boolean } {
  if (env.JPKI_BRIDGE_APT_SIGNING_KEY) return { key: env.JPKI_BRIDGE_APT_SIGNING_KEY, throwaway: false };
  const gnupg = mkdtempSync(join(tmpdir(), 'jpki-apt-keygen-'));
  try {
    const gpg = (args: string[]) =>
      execFileSync('gpg', ['--homedir', gnupg, '--batch', '--yes', '--quiet', '--passphrase', '', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    gpg(['--quick-generate-key', `${PACKAGE} throwaway archive key (one build, never a release) <test@invalid>`, 'ed25519', 'sign', '1w']);
    return { key: gpg(['--armor', '--export-secret-keys']).toString(), throwaway: true };
  } finally {
    rmSync(gnupg, { recursive: true, force: true });
  }
}
