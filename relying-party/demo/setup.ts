/**
 * What `npm run demo` needs before a browser opens: built outputs, a virtual card, a way for the
 * host to reach it, and the native-messaging manifest in the demo's own Chromium profile.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { NATIVE_HOST_NAME } from '@jpki-bridge/shared/constants';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEMO_DIR = join(ROOT, '.demo');
export const CLI = join(ROOT, 'native-host/bin/jpki-bridge.mjs');
export const EXTENSION_DIR = join(ROOT, 'extension/.output/chrome-mv3');
export const PAGE_BUNDLE = join(ROOT, 'relying-party/dist/jpki-bridge.js');
export const PROFILE_DIR = join(DEMO_DIR, 'chromium-profile');
export const CARD_FILE = join(DEMO_DIR, 'card.json');

/** Builds only what is missing (a fresh clone after `npm ci` has none of it). */
export function ensureBuilt(log: (line: string) => void): void {
  const parts: [string, string, string[]][] = [
    [join(ROOT, 'native-host/dist/cli.mjs'), 'host CLI', ['run', 'build:host']],
    [join(EXTENSION_DIR, 'manifest.json'), 'extension (chrome-mv3)', ['--workspace', 'extension', 'run', 'build']],
    [PAGE_BUNDLE, 'page library', ['run', 'build:page']],
  ];
  for (const [output, what, args] of parts) {
    if (existsSync(output)) continue;
    log(`building the ${what} (npm ${args.join(' ')}) …`);
    const result = spawnSync('npm', args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0 || !existsSync(output)) throw new Error(`could not build the ${what}`);
  }
}

export async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { cwd: ROOT });
  return stdout;
}

/** `.demo/card.json`, created with the CLI on first use (adult persona, PINs 1234 / ABC123). */
export async function ensureCard(options: { resetPins: boolean }, log: (line: string) => void): Promise<string> {
  mkdirSync(DEMO_DIR, { recursive: true });
  if (!existsSync(CARD_FILE)) {
    log('creating a virtual card in .demo/card.json …');
    await cli('virtual-card', 'create', '--state', CARD_FILE, '--persona', 'adult');
  } else if (options.resetPins) {
    // The automated walk types the documented PINs; a counter left low by a manual try must not lock it.
    await cli('virtual-card', 'reset-pins', '--state', CARD_FILE);
  }
  return CARD_FILE;
}

/** Is the PC/SC path available: pcscd and the vpcd driver installed? */
export function pcscInstalled(): boolean {
  return ['/usr/sbin/pcscd', '/etc/reader.conf.d/vpcd'].every((path) => existsSync(path));
}

/**
 * The host manifest in `<profile>/NativeMessagingHosts/jpki_bridge.json` (Chromium looks there for
 * per-profile hosts). `jpki-bridge install --browser chromium --user-data-dir … --card …` does it
 * when the installer supports that; otherwise the demo writes the same manifest itself, with a
 * launcher script (a manifest cannot carry arguments, and the demo's host needs `--card`).
 */
export async function installHostManifest(card: string, log: (line: string) => void): Promise<string> {
  const manifestPath = join(PROFILE_DIR, 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`);
  mkdirSync(PROFILE_DIR, { recursive: true });
  try {
    await cli('install', '--browser', 'chromium', '--user-data-dir', PROFILE_DIR, '--card', card);
    if (existsSync(manifestPath) && manifestMentionsCard(manifestPath, card)) return manifestPath;
  } catch {
    // fall through: the installer is not there yet or cannot do per-profile installs
  }
  const launcher = join(DEMO_DIR, 'jpki-bridge-host');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    launcher,
    `#!/bin/sh\n# Written by npm run demo: the native host for the demo's Chromium profile.\nexec ${quote(process.execPath)} ${quote(CLI)} host --card ${quote(card)} --log ${quote(join(DEMO_DIR, 'host.log'))} "$@"\n`,
  );
  chmodSync(launcher, 0o755);
  mkdirSync(join(PROFILE_DIR, 'NativeMessagingHosts'), { recursive: true });
  const manifest = {
    name: NATIVE_HOST_NAME,
    description: 'jpki-bridge native host (demo)',
    path: launcher,
    type: 'stdio',
    allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`host manifest written to ${manifestPath} (launcher ${launcher})`);
  return manifestPath;
}

function manifestMentionsCard(manifestPath: string, card: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { path?: string };
    const target = manifest.path ? readFileSync(manifest.path, 'utf8') : '';
    return target.includes(card) || card === 'pcsc';
  } catch {
    return false;
  }
}
