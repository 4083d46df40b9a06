/**
 * tools/dev/extension-worker-cache.ts on disk: which kept profiles lose Chromium's stored service
 * worker before they are opened (the real browser's side is test/e2e/chromium-kept-profile.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WORKER_STAMP_FILE, WORKER_STORE_DIR, builtWorkerHash, forgetStaleExtensionWorker } from '../../tools/dev/extension-worker-cache.ts';

let root: string;
let extension: string;
let profile: string;

/** A built extension whose manifest names `background.js` with this text. */
function build(background: string): void {
  writeFileSync(join(extension, 'manifest.json'), JSON.stringify({ manifest_version: 3, version: '0.1.0', background: { service_worker: 'background.js' } }));
  writeFileSync(join(extension, 'background.js'), background);
}

/** What Chromium leaves in a profile that ran the extension: its stored worker, and other state. */
function ranOnce(): void {
  mkdirSync(join(profile, WORKER_STORE_DIR, 'ScriptCache'), { recursive: true });
  writeFileSync(join(profile, WORKER_STORE_DIR, 'ScriptCache', 'script_0'), 'the background it ran');
  mkdirSync(join(profile, 'Default', 'Local Extension Settings'), { recursive: true });
  writeFileSync(join(profile, 'Default', 'Local Extension Settings', 'storage'), 'the allow-list');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jpki-bridge-worker-cache-'));
  extension = join(root, 'chrome-mv3');
  profile = join(root, 'profile');
  mkdirSync(extension);
  build('console.log("new build");');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('a kept Chromium profile and the stored service worker of the extension', () => {
  it('a profile that last ran another build loses its stored worker and keeps the extension storage', () => {
    build('console.log("old build");');
    forgetStaleExtensionWorker(profile, extension);
    ranOnce();
    build('console.log("new build");');

    expect(forgetStaleExtensionWorker(profile, extension)).toBe(true);
    expect(existsSync(join(profile, WORKER_STORE_DIR))).toBe(false);
    expect(readFileSync(join(profile, 'Default', 'Local Extension Settings', 'storage'), 'utf8')).toBe('the allow-list');
    expect(readFileSync(join(profile, WORKER_STAMP_FILE), 'utf8').trim()).toBe(builtWorkerHash(extension));
  });

  it('a profile an older launcher left, without a stamp, is taken for another build', () => {
    ranOnce();
    expect(forgetStaleExtensionWorker(profile, extension)).toBe(true);
    expect(existsSync(join(profile, WORKER_STORE_DIR))).toBe(false);
  });

  it('the same build opened again keeps its stored worker', () => {
    forgetStaleExtensionWorker(profile, extension);
    ranOnce();
    expect(forgetStaleExtensionWorker(profile, extension)).toBe(false);
    expect(readFileSync(join(profile, WORKER_STORE_DIR, 'ScriptCache', 'script_0'), 'utf8')).toBe('the background it ran');
  });

  it('a profile that does not exist yet is created with the stamp and nothing else', () => {
    expect(forgetStaleExtensionWorker(profile, extension)).toBe(false);
    expect(readFileSync(join(profile, WORKER_STAMP_FILE), 'utf8')).toBe(`${builtWorkerHash(extension)}\n`);
  });

  it('the stamp follows the script the manifest names, not a file of a fixed name', () => {
    writeFileSync(
      join(extension, 'manifest.json'),
      JSON.stringify({ manifest_version: 3, version: '0.1.0', background: { service_worker: 'worker/main.js' } }),
    );
    mkdirSync(join(extension, 'worker'));
    writeFileSync(join(extension, 'worker', 'main.js'), 'a');
    const first = builtWorkerHash(extension);
    writeFileSync(join(extension, 'worker', 'main.js'), 'b');
    expect(builtWorkerHash(extension)).not.toBe(first);
    writeFileSync(join(extension, 'manifest.json'), JSON.stringify({ manifest_version: 3, version: '0.1.0' }));
    expect(() => builtWorkerHash(extension)).toThrow(/names no background service worker/);
  });
});
