/**
 * dist/jpki-bridge_<version>_amd64.deb, put together by hand and built with `dpkg-deb
 * --root-owner-group` (no debian/rules: nothing here is compiled, the single executable is
 * made by sea.ts). Where each file goes is layout.ts; postinst/postrm are maintainer-scripts.ts.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { APP_VERSION_PREFIX } from '@jpki-bridge/shared/constants';
import { manifestFor } from '../../../native-host/src/install/manifest.ts';
import { BUNDLED_JPKI_ROOTS_DIR } from '../../../relying-party/src/verifier/trust-anchors.ts';
import { capture, execInBackground } from '../exec.ts';
import { DIST, VERSION } from '../paths.ts';
import type { SingleExecutable } from '../sea.ts';
import { copyrightFile } from './copyright.ts';
import {
  ADDON,
  JPKI_ROOTS_DIR,
  BROWSERS,
  CHROME_WEB_STORE_UPDATE_URL,
  CHROMIUM_MANIFEST,
  COMMAND,
  DEB_FILE,
  DEB_VERSION,
  DOC_DIR,
  EXECUTABLE,
  EXTERNAL_EXTENSION_FILES,
  EXTRA_DEPENDS,
  linkedByMaintainerScripts,
  LINTIAN_OVERRIDES,
  MAINTAINER,
  MAN_PAGES,
  PACKAGE,
  systemManifestPath,
} from './layout.ts';
import { postinst, postrm } from './maintainer-scripts.ts';

const HERE = new URL('.', import.meta.url).pathname;

/**
 * Builds the package from the staged single executable; resolves with the .deb's path. Compressing
 * 86 MB with xz takes a minute of one core, so dpkg-deb runs in the background.
 */
export async function buildDeb(sea: SingleExecutable, stageDir: string): Promise<string> {
  // dpkg-shlibdeps wants the debian/<package>/ layout of a source tree.
  rmSync(stageDir, { recursive: true, force: true });
  const root = join(stageDir, 'debian', PACKAGE);
  const put = (path: string, content: string | Buffer, mode = 0o644) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    chmodSync(file, mode);
  };
  const link = (path: string, target: string) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(target, file);
  };

  mkdirSync(join(root, dirname(EXECUTABLE)), { recursive: true });
  copyFileSync(sea.executable, join(root, EXECUTABLE));
  chmodSync(join(root, EXECUTABLE), 0o755);
  put(ADDON, readFileSync(sea.addon));
  // `jpki-bridge verify` trusts these by default; a single executable cannot embed files.
  for (const root of readdirSync(BUNDLED_JPKI_ROOTS_DIR).filter((name) => name.endsWith('.pem'))) {
    put(`${JPKI_ROOTS_DIR}/${root}`, readFileSync(join(BUNDLED_JPKI_ROOTS_DIR, root)));
  }
  // Relative within /usr, as Debian's policy asks of links inside one top-level directory.
  link(COMMAND, relative(dirname(COMMAND), EXECUTABLE));

  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  put(CHROMIUM_MANIFEST, json(manifestFor('chromium', EXECUTABLE)));
  for (const browser of BROWSERS) {
    const path = systemManifestPath(browser);
    if (browser === 'firefox') put(path, json(manifestFor('firefox', EXECUTABLE)));
    else if (!linkedByMaintainerScripts(browser)) link(path, CHROMIUM_MANIFEST);
  }
  for (const file of EXTERNAL_EXTENSION_FILES) put(file, json({ external_update_url: CHROME_WEB_STORE_UPDATE_URL }));

  put(`${DOC_DIR}/copyright`, copyrightFile(sea.metafile, sea.node));
  put(`${DOC_DIR}/changelog.Debian.gz`, gzip(changelog()));
  for (const [lang, path] of Object.entries(MAN_PAGES)) {
    const source = lang === 'en' ? 'jpki-bridge.1' : `${lang}/jpki-bridge.1`;
    put(path, gzip(readFileSync(join(HERE, source), 'utf8').replaceAll('@VERSION@', VERSION)));
  }
  put(LINTIAN_OVERRIDES, readFileSync(join(HERE, 'lintian-overrides')));

  put('DEBIAN/postinst', postinst(), 0o755);
  put('DEBIAN/postrm', postrm(), 0o755);
  put('DEBIAN/md5sums', md5sums(root));
  put('DEBIAN/control', control(root, stageDir));
  normalizeDirectories(root);

  mkdirSync(DIST, { recursive: true });
  const deb = join(DIST, DEB_FILE);
  // xz, as Debian's archive: lintian 2.116 (bookworm) refuses zstd members.
  await execInBackground('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, deb]);
  return deb;
}

function control(root: string, stageDir: string): string {
  writeFileSync(join(stageDir, 'debian/control'), `Source: ${PACKAGE}\n\nPackage: ${PACKAGE}\nArchitecture: amd64\n`);
  // The libraries the executable and the addon link against (libc6, libstdc++6, libpcsclite1, …).
  const shlibs = capture('dpkg-shlibdeps', ['-O', '--warnings=0', `-e${join(root, EXECUTABLE)}`, `-e${join(root, ADDON)}`], { cwd: stageDir });
  const depends = shlibs.trim().replace(/^shlibs:Depends=/, '');
  return [
    `Package: ${PACKAGE}`,
    `Version: ${DEB_VERSION}`,
    'Architecture: amd64',
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedSizeKiB(root)}`,
    `Depends: ${[depends, ...EXTRA_DEPENDS].join(', ')}`,
    'Section: web',
    'Priority: optional',
    `Homepage: ${APP_VERSION_PREFIX.replace(/\/$/, '')}`,
    'Description: use the My Number card (JPKI) on the web',
    ' jpki-bridge lets residents of Japan log in to web sites and sign e-filings',
    ' with the public certificates on their My Number card (個人番号カード).',
    ' .',
    ' This package is the native messaging host of the jpki-bridge browser',
    ' extension, as one executable that does not need Node.js installed, with',
    ' system-wide manifests for Chromium, Google Chrome, Microsoft Edge, Brave and',
    ' Firefox. The extension shows its own PIN window; the host talks to the card',
    ' reader through pcscd and never logs a PIN. It also has `doctor`, which checks',
    ' the installation end to end, and a virtual card for site developers.',
    '',
  ].join('\n');
}

function changelog(): string {
  const text = readFileSync(join(HERE, 'changelog'), 'utf8');
  const top = /^\S+ \(([^)]+)\)/.exec(text)?.[1];
  if (top !== DEB_VERSION) throw new Error(`tools/package/deb/changelog starts with ${top}, the package is ${DEB_VERSION}: add an entry for it`);
  return text;
}

/** Max compression, no name and no time stamp in the header (what lintian checks). */
function gzip(text: string): Buffer {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
}

function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(root, 'DEBIAN') ? [] : files(root, path);
    return [path];
  });
}

function md5sums(root: string): string {
  return files(root)
    .filter((path) => lstatSync(path).isFile())
    .map((path) => `${createHash('md5').update(readFileSync(path)).digest('hex')}  ${relative(root, path)}\n`)
    .sort()
    .join('');
}

function installedSizeKiB(root: string): number {
  return files(root).reduce((sum, path) => sum + Math.ceil(lstatSync(path).size / 1024), 0);
}

/** Every directory 0755 whatever the umask was: dpkg-deb packs the modes it finds. */
function normalizeDirectories(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) normalizeDirectories(join(dir, entry.name));
}
