/**
 * The host as a Node single executable application (Node 20's SEA): the CLI bundled into one
 * CommonJS file (native-host/build.mjs --sea), a preparation blob with V8's code cache (the
 * browser starts the host for every page that asks: the cache saves compiling on each start), a
 * stripped copy of the Node that runs this build, and the blob injected into it with postject.
 * pcsclite's addon is copied beside it: an addon cannot be embedded.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { exec } from './exec.ts';
import { ROOT } from './paths.ts';

/** The fuse Node's binary carries for SEA injection (Node's single-executable documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface SingleExecutable {
  executable: string;
  addon: string;
  /** esbuild's metafile of the bundle: which npm packages are inside. */
  metafile: string;
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
  exec(process.execPath, ['--experimental-sea-config', config]);

  copyFileSync(process.execPath, executable);
  // Before injection: strip would drop the injected note. Debian wants no symbols in packages.
  exec('strip', ['--strip-all', '--remove-section=.comment', executable]);
  const require = createRequire(import.meta.url);
  const postject = join(dirname(require.resolve('postject/package.json')), 'dist/cli.js');
  exec(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);

  copyFileSync(join(dirname(require.resolve('pcsclite/package.json')), 'build/Release/pcsclite.node'), addon);
  exec('strip', ['--strip-unneeded', '--remove-section=.comment', addon]);
  return { executable, addon, metafile: `${bundle}.meta.json` };
}
