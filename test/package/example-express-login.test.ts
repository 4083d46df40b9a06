/**
 * examples/express-login as a site developer has it: the folder copied outside the repository,
 * its dependencies — the tarballs of dist/ and express from the registry — installed there with
 * `npm install`, and its own end-to-end test (`npm test`, written with @jpki-bridge/testing) run
 * there: a login through Chromium, the extension and the host, verified by the site's server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ROOT } from '../../tools/package/paths.ts';

const EXAMPLE = join(ROOT, 'examples/express-login');
let site: string;

beforeAll(async () => {
  site = await mkdtemp(join(tmpdir(), 'jpki-express-login-'));
  expect(site.startsWith(ROOT)).toBe(false);
  cpSync(EXAMPLE, site, { recursive: true, filter: (path) => !/\/(node_modules|package-lock\.json)$/.test(path) });
  // Its file: specs point into the checkout's dist/ (../../dist): the same tarballs, by absolute path.
  const manifest = await readFile(join(site, 'package.json'), 'utf8');
  await writeFile(join(site, 'package.json'), manifest.replaceAll('file:../../dist/', `file:${DIST}/`));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: site, stdio: 'pipe' });
}, 600_000);

afterAll(async () => {
  if (site) await rm(site, { recursive: true, force: true });
});

describe('examples/express-login installed outside the repository', () => {
  it('every tarball its package.json names is one npm run package made', async () => {
    const { dependencies, devDependencies } = JSON.parse(await readFile(join(EXAMPLE, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const local = Object.values({ ...dependencies, ...devDependencies }).filter((spec) => spec.startsWith('file:'));
    expect(local).toHaveLength(4);
    for (const spec of local) expect(existsSync(join(EXAMPLE, spec.slice('file:'.length))), spec).toBe(true);
  });

  it('its own end-to-end test passes: a login with the PIN, and a cancelled one', () => {
    const run = spawnSync('npm', ['test'], { cwd: site, encoding: 'utf8', timeout: 240_000 });
    expect(run.stdout).toMatch(/^ok \d+ - a resident logs in with the card and the PIN$/m);
    expect(run.stdout).toMatch(/^ok \d+ - a resident who cancels the PIN dialog is not logged in$/m);
    expect(run.stdout).toMatch(/^# fail 0$/m);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });
});
