/**
 * A kept Chromium profile (the demo's `.demo/chromium-profile`) must run the extension as built.
 * Chromium stores an extension's service worker script in the profile (`Default/Service Worker`)
 * and registers it again only when the manifest's version changes. Every build says the same
 * version, so a profile opened by an older build went on running that build's background beside
 * the new content script, pages and host: the old background took the new login token for a
 * malformed host answer, and the login ended in ERR_JPKI_UNKNOWN after the host had answered ok.
 *
 * So the profile remembers which background it last ran (a hash beside Chromium's own files);
 * when the built one differs, the stored worker is dropped before the browser starts, and Chromium
 * registers the built script afresh. The extension's storage (allow-list, blocked sites) is kept:
 * it lives elsewhere in the profile, and the background migrates older shapes of it itself.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Our file in the profile's top directory, which Chromium leaves alone. */
export const WORKER_STAMP_FILE = 'jpki-bridge-background.sha256';
/** Where Chromium keeps the service worker registrations and their scripts (the Default profile). */
export const WORKER_STORE_DIR = join('Default', 'Service Worker');

/** The SHA-256 of the built extension's service worker script, as its manifest names it. */
export function builtWorkerHash(extensionDir: string): string {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { background?: { service_worker?: unknown } };
  const script = manifest.background?.service_worker;
  if (typeof script !== 'string') throw new Error(`${extensionDir}/manifest.json names no background service worker`);
  return createHash('sha256')
    .update(readFileSync(join(extensionDir, script)))
    .digest('hex');
}

/**
 * Before `userDataDir` is opened with the extension in `extensionDir`: drops the stored service
 * worker when the profile last ran another build (or one from before this stamp existed), and
 * records the built one. Returns whether anything was dropped.
 */
export function forgetStaleExtensionWorker(userDataDir: string, extensionDir: string): boolean {
  const built = builtWorkerHash(extensionDir);
  const stampFile = join(userDataDir, WORKER_STAMP_FILE);
  const ran = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
  const store = join(userDataDir, WORKER_STORE_DIR);
  const stale = ran !== built && existsSync(store);
  if (stale) rmSync(store, { recursive: true, force: true });
  if (ran !== built) {
    mkdirSync(userDataDir, { recursive: true });
    writeFileSync(stampFile, `${built}\n`);
  }
  return stale;
}
