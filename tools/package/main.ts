/**
 * `npm run package`: everything people install, into dist/ — the Debian package, the extension's
 * store archives, the npm tarballs (docs/packaging.md). Builds what it packs first, so it works
 * on a fresh clone after `npm ci`.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aptSigningKey, DEFAULT_APT_URL, THROWAWAY_KEY_FILE, writeAptRepository } from './apt-repository.ts';
import { buildDeb } from './deb/build-deb.ts';
import { exec } from './exec.ts';
import { buildExtensionArchives } from './extension.ts';
import { buildNpmPackages } from './npm.ts';
import { DIST, ROOT, STAGE } from './paths.ts';
import { buildSingleExecutable } from './sea.ts';

rmSync(DIST, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });

const step = (name: string) => process.stdout.write(`\n== ${name}\n`);

step('host bundle');
exec('npm', ['run', 'build:host'], { cwd: ROOT });

step('single executable');
const sea = buildSingleExecutable(join(STAGE, 'sea'));

step('Debian package (compressed while the other steps run)');
const deb = buildDeb(sea, join(STAGE, 'deb'));
// If a later step fails first, that failure is the one reported.
deb.catch(() => {});

step('extension archives (Chrome Web Store, Firefox add-on and its sources)');
buildExtensionArchives(join(STAGE, 'extension'));

step('npm tarballs');
await buildNpmPackages(join(STAGE, 'npm'));

step('APT repository (dist/apt/)');
const { key, throwaway } = aptSigningKey();
if (throwaway) {
  process.stdout.write(`JPKI_BRIDGE_APT_SIGNING_KEY is not set: signed with a throwaway key (dist/stage/${THROWAWAY_KEY_FILE}), for tests only\n`);
  writeFileSync(join(STAGE, THROWAWAY_KEY_FILE), key, { mode: 0o600 });
}
writeAptRepository({ debs: [await deb], out: join(DIST, 'apt'), signingKey: key, url: process.env.JPKI_BRIDGE_APT_URL ?? DEFAULT_APT_URL });

step('dist/');
for (const name of readdirSync(DIST).sort()) {
  const path = join(DIST, name);
  const stat = statSync(path);
  if (!stat.isFile()) continue;
  const size = stat.size >= 1e6 ? `${(stat.size / 1e6).toFixed(1)} MB` : `${Math.ceil(stat.size / 1e3)} kB`;
  process.stdout.write(`${size.padStart(9)}  ${name}\n`);
}
