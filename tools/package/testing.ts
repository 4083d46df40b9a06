/**
 * What `@jpki-bridge/testing` carries besides its bundle: its code is the developer tools
 * (tools/dev) bundled with packages/testing/src/index.ts, with packages/testing/src/installed.ts
 * in place of tools/dev/checkout.ts (paths into the installed package instead of the checkout),
 * and the extension's Chromium build, keyed so that its id is the pinned one the host's manifest
 * allows.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { ROOT, STAGE } from './paths.ts';

const CHECKOUT = join(ROOT, 'tools/dev/checkout.ts');
const INSTALLED = join(ROOT, 'packages/testing/src/installed.ts');

/** tools/dev's imports of checkout.ts resolve to installed.ts. */
export const installedLayout: Plugin = {
  name: 'installed-layout',
  setup(build) {
    build.onResolve({ filter: /\/checkout\.ts$/ }, ({ path, resolveDir }) => (join(resolveDir, path) === CHECKOUT ? { path: INSTALLED } : undefined));
  },
};

/**
 * The store build of the extension (made by the extension archives step, before the npm step)
 * with `key` put back: the store refuses a key, but an unpacked extension without it would get
 * another id, which the host's manifest does not allow.
 */
export function copyKeyedExtension(out: string): void {
  const dir = join(out, 'extension/chrome-mv3');
  cpSync(join(STAGE, 'extension/chrome-mv3'), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const key = readFileSync(join(ROOT, 'extension/keys/public-key.txt'), 'utf8').trim();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, key }));
}
