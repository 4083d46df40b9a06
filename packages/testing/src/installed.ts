/**
 * Where the installed @jpki-bridge/testing finds what tools/dev/checkout.ts finds in a checkout:
 * the `jpki-bridge` CLI (its dependency, the same version) and the Chromium extension shipped inside
 * this package. The bundler puts this module in place of checkout.ts (tools/package/testing.ts),
 * so the developer tools run unchanged from node_modules. Nothing is built here: a missing file
 * means a broken installation, said as such.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder (dist/index.js sits one level below). */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** `jpki-bridge` itself, from the CLI package this one depends on. */
export const HOST_BIN = join(dirname(createRequire(import.meta.url).resolve('jpki-bridge/package.json')), 'bin/jpki-bridge.mjs');
/** The extension's Chromium build (MV3, with the key that pins its id), shipped in this package. */
export const EXTENSION_DIR = join(ROOT, 'extension/chrome-mv3');

const OUTPUTS = {
  host: join(dirname(HOST_BIN), '../dist/cli.mjs'),
  'chromium-extension': join(EXTENSION_DIR, 'manifest.json'),
  // Not carried: a site serves the page library from its own @jpki-bridge/page.
  'page-library': null,
} as const;

export type BuildOutput = keyof typeof OUTPUTS;

export function ensureBuilt(outputs: readonly BuildOutput[]): void {
  for (const name of outputs) {
    const file = OUTPUTS[name];
    if (file !== null && !existsSync(file)) throw new Error(`@jpki-bridge/testing: ${file} is missing — reinstall @jpki-bridge/testing and jpki-bridge`);
  }
}
