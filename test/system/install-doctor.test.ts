/**
 * `install` then `doctor`, as a user runs them: the CLI bundle, a temporary Chromium profile
 * (--user-data-dir), the host started exactly as the browser starts it, through pcscd to the
 * virtual card.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, mkdtemp, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { installTarget, type Browser } from '../../native-host/src/install/paths.ts';
import { notRootOwnedProblem } from '../../native-host/src/install/root-owned.ts';
import { HOST_BIN } from '../../tools/dev/checkout.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { createCardState, type ServedCard, serveCard } from '../../tools/dev/virtual-card.ts';

const run = promisify(execFile);
// `install` makes the installation uuid in $XDG_CONFIG_HOME/jpki-bridge: a directory of this file's, never ~/.config.
const configHome = mkdtempSync(join(tmpdir(), 'jpki-install-config-'));
const cliAt = (bin: string, args: string[]) =>
  run(process.execPath, [bin, ...args], { env: { ...process.env, XDG_CONFIG_HOME: configHome } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const cli = (...args: string[]) => cliAt(HOST_BIN, args);

// `install --system` refuses a bundle that anyone but root could change (issue 19), and a clone under
// /tmp is such a bundle. Its dry runs then go through a copy of the built CLI in a directory of root's.
const checkoutBundle = join(dirname(HOST_BIN), '../dist/cli.mjs');
let systemBin = HOST_BIN;
let systemCopy: string | undefined;
if (notRootOwnedProblem(checkoutBundle) !== null && process.getuid?.() === 0) {
  systemCopy = mkdtempSync(join(homedir(), '.jpki-install-system-'));
  cpSync(join(dirname(HOST_BIN), '../dist'), join(systemCopy, 'dist'), { recursive: true });
  cpSync(HOST_BIN, join(systemCopy, 'bin', 'jpki-bridge.mjs'));
  systemBin = join(systemCopy, 'bin', 'jpki-bridge.mjs');
}

let pcscd: { stop(): Promise<void> };
let card: ServedCard | undefined;
beforeAll(async () => {
  pcscd = await ensurePcscd();
});
afterAll(async () => {
  await card?.stop();
  await pcscd?.stop();
  if (systemCopy) rmSync(systemCopy, { recursive: true, force: true });
});

describe('install --dry-run', () => {
  it.each(['chrome', 'chromium', 'edge', 'brave', 'firefox'] as Browser[])(
    'install --dry-run for %s prints the paths of the table and writes nothing',
    async (browser) => {
      for (const scope of ['user', 'system'] as const) {
        const bin = scope === 'system' ? systemBin : HOST_BIN;
        const { code, stdout, stderr } = await cliAt(bin, ['install', '--dry-run', '--browser', browser, `--${scope}`]);
        if (scope === 'system' && bin === HOST_BIN && notRootOwnedProblem(checkoutBundle) !== null) {
          // Not root, in a checkout of one's own: the all-users launcher is refused, and says why.
          expect(code).toBe(77);
          expect(stderr).toContain('not root');
          continue;
        }
        expect(code, stderr).toBe(0);
        const target = installTarget('linux', browser, scope, { home: homedir() });
        expect(stdout).toContain(target.manifestPath);
        expect(stdout).toContain(target.launcherPath);
        await expect(stat(target.manifestPath)).rejects.toThrow(); // nothing written
      }
    },
  );
});

describe('install then doctor', () => {
  it('install into a Chromium user-data-dir, then doctor says OK to every step', async () => {
    card = await serveCard({ stateFile: await createCardState({ persona: 'adult' }) });
    const profile = await mkdtemp(join(tmpdir(), 'jpki-profile-'));
    const install = await cli('install', '--browser', 'chromium', '--user-data-dir', profile);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain(join(configHome, 'jpki-bridge', 'installation-uuid'));
    expect((await readFile(join(configHome, 'jpki-bridge', 'installation-uuid'), 'utf8')).trim()).toMatch(/^[0-9a-f]{32}$/);
    const manifest = JSON.parse(await readFile(join(profile, 'NativeMessagingHosts', 'jpki_bridge.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'jpki_bridge', type: 'stdio', allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`] });
    const launcher = await readFile(manifest.path, 'utf8');
    expect(launcher).toContain(process.execPath);
    expect(launcher).toContain('native-host/dist/cli.mjs');
    const doctor = await cli('doctor', '--user-data-dir', profile);
    expect(doctor.stdout).not.toContain('[NG]');
    expect(doctor.stdout).toMatch(/\[OK\] status 往復/);
    expect(doctor.stdout).toMatch(/\[OK\] カード \/ card: my-number-card/);
    expect(doctor.code, doctor.stdout).toBe(0);
  });

  it('doctor without a card says NG for the card, with a hint', async () => {
    await card?.stop();
    card = undefined;
    const profile = await mkdtemp(join(tmpdir(), 'jpki-profile-'));
    await cli('install', '--browser', 'chromium', '--user-data-dir', profile);
    const doctor = await cli('doctor', '--user-data-dir', profile);
    expect(doctor.code).not.toBe(0);
    expect(doctor.stdout).toMatch(/\[NG\] カード/);
    expect(doctor.stdout).toContain('hint:');
  });

  it('doctor without a manifest says NG for the manifest', async () => {
    const doctor = await cli('doctor', '--user-data-dir', await mkdtemp(join(tmpdir(), 'jpki-empty-')));
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/\[NG\] マニフェスト/);
  });

  it('uninstall removes what install wrote', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'jpki-profile-'));
    await cli('install', '--browser', 'chromium', '--user-data-dir', profile);
    expect((await cli('uninstall', '--browser', 'chromium', '--user-data-dir', profile)).code).toBe(0);
    await expect(stat(join(profile, 'NativeMessagingHosts', 'jpki_bridge.json'))).rejects.toThrow();
  });
});
