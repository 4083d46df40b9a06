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
      expect([...asked].filter((permission) => !listing.includes(permission)), `listing.${lang}.md`).toEqual([]);
    }
  });

  it('the Firefox zip carries the pinned add-on id and declares that it collects nothing', async () => {
    const manifest = manifestOf(await unzipped(zip('firefox')));
    expect(manifest.browser_specific_settings.gecko).toMatchObject({ id: GECKO_EXTENSION_ID, data_collection_permissions: { required: ['none'] } });
  });

  it('the sources zip rebuilds the same Firefox add-on with the commands of its review notes', async () => {
    const sources = await unzipped(zip('sources'));
    const notes = readFileSync(join(sources, 'extension/store/SOURCE-REVIEW.md'), 'utf8');
    const commands = /```sh\n([\s\S]*?)```/.exec(notes)![1]!.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
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
