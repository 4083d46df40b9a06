/**
 * The store archives as the stores and their reviewers take them: the Chrome Web Store zip has no
 * `key` (the store refuses one), the Firefox zip has the pinned add-on id and its data-collection
 * declaration, and the sources zip rebuilds that same add-on with the commands its review notes
 * give (run here exactly as written there).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { DIST, ROOT, VERSION } from '../../tools/package/paths.ts';

const zip = (browser: string) => join(DIST, `jpki-bridge-${VERSION}-${browser}.zip`);

async function unzipped(file: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jpki-zip-'));
  execFileSync('unzip', ['-q', file, '-d', dir]);
  return dir;
}

/** Every file under `dir` with the SHA-256 of its content. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, any>;

describe('the store archives', () => {
  it('the Chrome Web Store zip is the MV3 build without the manifest key', async () => {
    const manifest = manifestOf(await unzipped(zip('chrome')));
    expect(manifest).not.toHaveProperty('key');
    expect(manifest).toMatchObject({ manifest_version: 3, version: VERSION, default_locale: 'ja' });
  });

  it('both listing texts give the reason for every permission the store builds ask for', async () => {
    const asked = new Set<string>();
    for (const browser of ['chrome', 'firefox']) {
      const manifest = manifestOf(await unzipped(zip(browser)));
      // MV2 (Firefox) lists host patterns among the permissions; MV3 has host_permissions.
      for (const permission of manifest.permissions ?? []) asked.add(/:\/\/|^<all_urls>$/.test(permission) ? '`host_permissions`' : `\`${permission}\``);
      if ((manifest.host_permissions ?? []).length > 0) asked.add('`host_permissions`');
    }
    for (const lang of ['ja', 'en']) {
      const listing = readFileSync(join(ROOT, `extension/store/listing.${lang}.md`), 'utf8');
      expect(
        [...asked].filter((permission) => !listing.includes(permission)),
        `listing.${lang}.md`,
      ).toEqual([]);
    }
  });

  it('the Firefox zip carries the pinned add-on id and declares what leaves the machine (docs/privacy-policy.md)', async () => {
    const manifest = manifestOf(await unzipped(zip('firefox')));
    expect(manifest.browser_specific_settings.gecko).toMatchObject({
      id: GECKO_EXTENSION_ID,
      data_collection_permissions: { required: ['authenticationInfo', 'personallyIdentifyingInfo', 'browsingActivity'] },
    });
  });

  it('both zips carry the icons at every size the manifest names, for the toolbar too', async () => {
    for (const browser of ['chrome', 'firefox']) {
      const dir = await unzipped(zip(browser));
      const manifest = manifestOf(dir);
      const action = manifest.action ?? manifest.browser_action;
      expect(Object.keys(manifest.icons).sort()).toEqual(['128', '16', '32', '48']);
      expect(action.default_icon).toEqual(manifest.icons);
      for (const [size, path] of Object.entries(manifest.icons as Record<string, string>)) {
        const png = readFileSync(join(dir, path));
        // PNG signature, then IHDR's width and height (big-endian) at bytes 16 and 20
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(size), Number(size)]);
      }
    }
  });

  it("Mozilla's addons-linter passes the Firefox zip with no error and no warning", () => {
    const linter = join(ROOT, 'node_modules/.bin/addons-linter');
    let out: string;
    try {
      out = execFileSync(linter, ['--output', 'json', zip('firefox')], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      out = (error as { stdout?: string }).stdout ?? ''; // it exits non-zero when it finds errors
    }
    const report = JSON.parse(out) as { count: number; summary: { errors: number; warnings: number; notices: number }; errors: unknown[]; warnings: unknown[] };
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: [], warnings: [] });
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('the sources zip rebuilds the same Firefox add-on with the commands of its review notes', async () => {
    const sources = await unzipped(zip('sources'));
    const notes = readFileSync(join(sources, 'extension/store/SOURCE-REVIEW.md'), 'utf8');
    const commands = /```sh\n([\s\S]*?)```/
      .exec(notes)![1]!
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands.length).toBeGreaterThan(0);
    // --prefer-offline: the packages come from npm's cache when the checkout's `npm ci` put them there.
    // A reviewer's shell has no NODE_ENV; vitest's 'test' would make Vite compile JSX for development.
    const { NODE_ENV: _vitest, ...env } = process.env;
    for (const command of commands) {
      execFileSync('sh', ['-c', command.replace(/^npm ci\b/, 'npm ci --prefer-offline --no-audit --no-fund')], { cwd: sources, env, stdio: 'pipe' });
    }
    expect(contents(join(sources, 'extension/.output/firefox-mv2'))).toEqual(contents(await unzipped(zip('firefox'))));
    expect(sources.startsWith(ROOT)).toBe(false);
  });
});
