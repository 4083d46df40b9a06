/**
 * The host as a Node single executable application (SEA): the CLI bundled into one CommonJS file
 * (native-host/build.mjs --sea), a preparation blob with V8's code cache (the browser starts the
 * host for every page that asks: the cache saves compiling on each start) made by the embedded
 * runtime itself (a blob is tied to its Node version), a stripped copy of that runtime — the
 * current Node LTS, node-runtime.ts — and the blob injected into it with postject. pcsclite's
 * addon, built against that runtime's headers, is copied beside it: an addon cannot be embedded.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { exec } from './exec.ts';
import { buildAddonFor, type NodeRuntime, nodeRuntime } from './node-runtime.ts';
import { ROOT } from './paths.ts';

/** The fuse Node's binary carries for SEA injection (Node's single-executable documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface SingleExecutable {
  executable: string;
  addon: string;
  /** esbuild's metafile of the bundle: which npm packages are inside. */
  metafile: string;
  /** The embedded Node: its version, LTS name and unpacked release (its LICENSE goes into the copyright file). */
  node: NodeRuntime;
}

export function buildSingleExecutable(dir: string): SingleExecutable {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, 'jpki-bridge.cjs');
  const blob = join(dir, 'sea-prep.blob');
  const executable = join(dir, 'jpki-bridge');
  const addon = join(dir, 'pcsclite.node');

  exec(process.execPath, [join(ROOT, 'native-host/build.mjs'), '--sea', bundle]);
  const config = join(dir, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }, null, 2));
  const runtime = nodeRuntime();
  exec(runtime.node, ['--experimental-sea-config', config]);

  copyFileSync(runtime.node, executable);
  // Before injection: strip would drop the injected note. Debian wants no symbols in packages.
  exec('strip', ['--strip-all', '--remove-section=.comment', executable]);
  const require = createRequire(import.meta.url);
  const postject = join(dirname(require.resolve('postject/package.json')), 'dist/cli.js');
  exec(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);

  copyFileSync(buildAddonFor(runtime, dirname(require.resolve('pcsclite/package.json')), join(dir, 'pcsclite-build')), addon);
  exec('strip', ['--strip-unneeded', '--remove-section=.comment', addon]);
  return { executable, addon, metafile: `${bundle}.meta.json`, node: runtime };
}
