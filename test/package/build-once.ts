/**
 * vitest globalSetup of the `package` project: `npm run package` once per test run, so every
 * file tests the same dist/ — the archives a user would download, built from this checkout.
 * JPKI_PACKAGE_REUSE=1 keeps a dist/ that is already there (while working on the tests only).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEB_FILE } from '../../tools/package/deb/layout.ts';
import { DIST, ROOT } from '../../tools/package/paths.ts';

export default function setup(): void {
  if (process.env.JPKI_PACKAGE_REUSE === '1' && existsSync(join(DIST, DEB_FILE))) return;
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
}
