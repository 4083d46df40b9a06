/**
 * Where this checkout keeps what the developer tools start: the product's CLI and the built
 * outputs (host bundle, the two extension builds, the page library), and how to build the ones
 * that are missing — a fresh clone after `npm ci` has only the host bundle (`prepare`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** `jpki-bridge` itself: the CLI a user runs (`host`, `install`, `virtual-card`, …). */
export const HOST_BIN = join(ROOT, 'native-host/bin/jpki-bridge.mjs');
export const EXTENSION_DIR = join(ROOT, 'extension/.output/chrome-mv3');
export const FIREFOX_EXTENSION_DIR = join(ROOT, 'extension/.output/firefox-mv2');
export const PAGE_LIBRARY = join(ROOT, 'relying-party/dist/jpki-bridge.js');

/** Each output: the file that proves it is built, and the npm script that builds it. */
const OUTPUTS = {
  host: { file: join(ROOT, 'native-host/dist/cli.mjs'), npm: ['run', 'build:host'] },
  'chromium-extension': { file: join(EXTENSION_DIR, 'manifest.json'), npm: ['--workspace', 'extension', 'run', 'build'] },
  'firefox-extension': { file: join(FIREFOX_EXTENSION_DIR, 'manifest.json'), npm: ['--workspace', 'extension', 'run', 'build:firefox'] },
  'page-library': { file: PAGE_LIBRARY, npm: ['run', 'build:page'] },
} as const;

export type BuildOutput = keyof typeof OUTPUTS;

/**
 * Builds whichever of `outputs` is missing, with the project's own npm scripts. Never rebuilds
 * what exists: a developer who changed the source runs `npm run build` (the tests do not guess).
 */
export function ensureBuilt(outputs: readonly BuildOutput[], log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  for (const name of outputs) {
    const { file, npm } = OUTPUTS[name];
    if (existsSync(file)) continue;
    log(`building the ${name} (npm ${npm.join(' ')}) …`);
    const result = spawnSync('npm', npm, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0 || !existsSync(file)) throw new Error(`could not build the ${name} (npm ${npm.join(' ')})`);
  }
}
