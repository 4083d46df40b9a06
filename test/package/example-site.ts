/**
 * An example site as a site developer has it: its folder copied outside the repository, its
 * dependencies — the tarballs of dist/ and its framework from the registry — installed there with
 * `npm install`, and its own tests (`npm test`, written with @jpki-bridge/testing) run there: logins
 * through Chromium, the extension and the host, a card linked to a new account, a renewed card
 * re-linked, another person refused — verified by the site's server. One test file per example, so
 * the package project runs them side by side.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ROOT } from '../../tools/package/paths.ts';

/** The example `name` (a folder of examples/) installed outside the repository and tested there. */
export function describeInstalledExample(name: string): void {
  describe(`examples/${name} installed outside the repository`, () => {
    const example = join(ROOT, 'examples', name);
    let site: string;

    beforeAll(async () => {
      site = await mkdtemp(join(tmpdir(), `jpki-${name}-`));
      expect(site.startsWith(ROOT)).toBe(false);
      cpSync(example, site, { recursive: true, filter: (path) => !/\/(node_modules|package-lock\.json)$/.test(path) });
      // Its file: specs point into the checkout's dist/ (../../dist): the same tarballs, by absolute path.
      const manifest = await readFile(join(site, 'package.json'), 'utf8');
      await writeFile(join(site, 'package.json'), manifest.replaceAll('file:../../dist/', `file:${DIST}/`));
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: site, stdio: 'pipe' });
    }, 600_000);

    afterAll(async () => {
      if (site) await rm(site, { recursive: true, force: true });
    });

    it('every tarball its package.json names is one npm run package made', async () => {
      const { dependencies, devDependencies } = JSON.parse(await readFile(join(example, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
      const local = Object.values({ ...dependencies, ...devDependencies }).filter((spec) => spec.startsWith('file:'));
      expect(local).toHaveLength(4);
      for (const spec of local) expect(existsSync(join(example, spec.slice('file:'.length))), spec).toBe(true);
    });

    it('its own tests pass, every case of them (browserless and end to end)', async () => {
      // The cases are the example's own: every `test('…')` of its test files must be reported ok —
      // the browserless ones of login-flow.test.js and the browser's of login.test.js.
      const sources = await Promise.all(['login-flow.test.js', 'login.test.js'].map((file) => readFile(join(example, 'test', file), 'utf8')));
      const cases = sources.flatMap((source) => [...source.matchAll(/^test\((['"])(.+?)\1,/gm)].map((match) => match[2]!));
      expect(cases).toContain('a renewed card (a new authentication certificate) is re-linked to the same account by the signing step');
      expect(cases).toContain('a renewed card is re-linked to the account, and the old card logs in no more');
      const run = spawnSync('npm', ['test'], { cwd: site, encoding: 'utf8', timeout: 420_000 });
      const passed = run.stdout.split('\n').flatMap((line) => /^ok \d+ - (.*)$/.exec(line)?.[1] ?? []);
      expect(passed.sort(), `${run.stdout}\n${run.stderr}`).toEqual(cases.sort());
      expect(run.stdout).toMatch(/^# fail 0$/m);
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    });
  });
}
