/**
 * The host program a launcher runs: in the single executable of the Debian package, that
 * executable alone (it carries the CLI; there may be no node on the system); otherwise this node
 * and the built CLI bundle (native-host/dist/cli.mjs), whether we run from it or from source.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';

export function hostProgram(): string[] {
  if (isSea()) return [process.execPath];
  return [process.execPath, builtCliPath()];
}

function builtCliPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // In the bundle every chunk sits in dist/ beside cli.mjs; from source we are in src/install/.
  for (const candidate of [join(here, 'cli.mjs'), resolve(here, '../../dist/cli.mjs')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('the CLI bundle is not built: run `npm run build:host` first / 先に `npm run build:host` を実行してください');
}
