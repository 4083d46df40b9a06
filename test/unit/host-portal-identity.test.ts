/**
 * The portal protocol's identity of an installation and a card: the config directory, the
 * installation uuid (made once, kept, 0600 / 0700, atomic under a race), the combination code
 * (a known answer), and `install` making the uuid.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as install } from '../../native-host/src/cli/install.ts';
import { JpkiCard } from '../../native-host/src/card/jpki-card.ts';
import { configDir } from '../../native-host/src/portal/config-dir.ts';
import { COMBINATION_SALT, combinationCode, readCombinationCode } from '../../native-host/src/portal/combination-code.ts';
import { INSTALLATION_UUID_FILE, installationUuid, uuidBytes } from '../../native-host/src/portal/installation-uuid.ts';
import { VirtualJpkiCard } from '../../native-host/src/virtual-card/card.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { captureOutput } from '../harness/capture-output.ts';
import { plainModule } from '../harness/plain-module.ts';
import { sharedCardState } from './shared-cards.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tempDir = () => mkdtemp(join(tmpdir(), 'jpki-portal-id-'));

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('config directory', () => {
  it('Linux: $XDG_CONFIG_HOME/jpki-bridge when absolute, else ~/.config/jpki-bridge', () => {
    expect(configDir('linux', { home: '/home/taro', xdgConfigHome: '/xdg' })).toBe('/xdg/jpki-bridge');
    expect(configDir('linux', { home: '/home/taro', xdgConfigHome: 'relative/dir' })).toBe('/home/taro/.config/jpki-bridge');
    expect(configDir('linux', { home: '/home/taro', xdgConfigHome: '' })).toBe('/home/taro/.config/jpki-bridge');
    expect(configDir('linux', { home: '/home/taro' })).toBe('/home/taro/.config/jpki-bridge');
  });
  it('macOS: Application Support; Windows: %APPDATA%', () => {
    expect(configDir('darwin', { home: '/Users/taro' })).toBe('/Users/taro/Library/Application Support/jpki-bridge');
    expect(configDir('win32', { home: 'C:\\Users\\taro', appData: 'D:\\Roaming' })).toBe('D:\\Roaming\\jpki-bridge');
    expect(configDir('win32', { home: 'C:\\Users\\taro' })).toBe('C:\\Users\\taro\\AppData\\Roaming\\jpki-bridge');
  });
});

describe('installation uuid', () => {
  it('is made on first use as 32 lowercase hex digits, in a 0700 directory and a 0600 file, and kept', async () => {
    const dir = join(await tempDir(), 'jpki-bridge');
    const uuid = await installationUuid(dir);
    expect(uuid).toMatch(/^[0-9a-f]{32}$/);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, INSTALLATION_UUID_FILE))).mode & 0o777).toBe(0o600);
    expect(await installationUuid(dir)).toBe(uuid);
    expect(await readdir(dir)).toEqual([INSTALLATION_UUID_FILE]); // no temporary file left
  });

  it('two installations get different uuids', async () => {
    expect(await installationUuid(await tempDir())).not.toBe(await installationUuid(await tempDir()));
  });

  it('a file left readable by others is tightened to 0600 when read', async () => {
    const dir = await tempDir();
    const uuid = await installationUuid(dir);
    await chmod(join(dir, INSTALLATION_UUID_FILE), 0o644);
    expect(await installationUuid(dir)).toBe(uuid);
    expect((await stat(join(dir, INSTALLATION_UUID_FILE))).mode & 0o777).toBe(0o600);
  });

  it('a damaged file is an error naming no path, and is left as it was', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, INSTALLATION_UUID_FILE), 'not-a-uuid\n');
    await expect(installationUuid(dir)).rejects.toMatchObject({ code: 'ERR_JPKI_UNKNOWN', message: expect.not.stringContaining(dir) });
    expect(await readFile(join(dir, INSTALLATION_UUID_FILE), 'utf8')).toBe('not-a-uuid\n');
  });

  it('hosts starting at once in separate processes all end up with one and the same uuid', async () => {
    const dir = join(await tempDir(), 'jpki-bridge');
    const module = await plainModule(join(ROOT, 'native-host/src/portal/installation-uuid.ts'), await tempDir());
    const script = `import { installationUuid } from ${JSON.stringify(module)};
process.stdout.write(await installationUuid(${JSON.stringify(dir)}));`;
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
        }),
    );
    const uuids = await Promise.all(runs);
    expect(new Set(uuids).size).toBe(1);
    expect(uuids[0]).toBe(await installationUuid(dir));
    expect(await readdir(dir)).toEqual([INSTALLATION_UUID_FILE]);
  });

  it('uuidBytes refuses anything but 32 lowercase hex digits', () => {
    expect(uuidBytes('00112233445566778899aabbccddeeff')).toHaveLength(16);
    for (const bad of ['00112233445566778899AABBCCDDEEFF', '0011', `${'0'.repeat(32)}\n`, 'g'.repeat(32)]) expect(() => uuidBytes(bad)).toThrow(RangeError);
  });
});

describe('combination code', () => {
  const uuid = '00112233445566778899aabbccddeeff';

  it('is lowercase hex SHA-256(salt ‖ manufacture number ASCII ‖ uuid bytes) — a known answer', () => {
    expect(Buffer.from(COMBINATION_SALT).toString('hex')).toBe('2e71f6620bc654ced494e5ec34fe03c8');
    expect(combinationCode('1234567890123', uuid)).toBe('d3a3cfd873f5b877a042d57c81f7c7403533d43d77a8c11fc526440627ebe319');
  });

  it('differs for another card or another installation', () => {
    const base = combinationCode('1234567890123', uuid);
    expect(combinationCode('1234567890124', uuid)).not.toBe(base);
    expect(combinationCode('1234567890123', 'ffeeddccbbaa99887766554433221100')).not.toBe(base);
  });

  describe('read from the card', () => {
    let one: VirtualCardState;
    let other: VirtualCardState;
    beforeAll(async () => {
      [one, other] = await Promise.all([sharedCardState('adult'), sharedCardState('other-adult')]);
    });
    const cardOf = async (state: VirtualCardState) => {
      const virtual = new VirtualJpkiCard(structuredClone(state));
      const card = new JpkiCard({ transmit: async (apdu) => virtual.transmit(apdu) });
      await card.selectAp();
      return card;
    };

    it('is the same across calls on one card, differs on another, and is the code of its manufacture number', async () => {
      const first = await readCombinationCode(await cardOf(one), uuid);
      expect(await readCombinationCode(await cardOf(one), uuid)).toBe(first);
      expect(await readCombinationCode(await cardOf(other), uuid)).not.toBe(first);
      expect(first).toBe(combinationCode(one.cardId.manufactureNumber, uuid));
      expect(first).not.toContain(Buffer.from(one.cardId.manufactureNumber).toString('hex'));
    });

    it('a bad uuid is refused before the card is touched', async () => {
      const transmit = vi.fn();
      await expect(readCombinationCode(new JpkiCard({ transmit }), 'ABC')).rejects.toThrow(RangeError);
      expect(transmit).not.toHaveBeenCalled();
    });
  });
});

describe('jpki-bridge install', () => {
  it('makes the installation uuid in the user’s config directory; --dry-run only names it', async () => {
    const config = await tempDir();
    vi.stubEnv('XDG_CONFIG_HOME', config);
    const io = captureOutput();
    expect(await install(['--browser', 'chromium', '--user-data-dir', await tempDir(), '--dry-run'])).toBe(0);
    await expect(stat(join(config, 'jpki-bridge'))).rejects.toThrow();
    expect(io.out()).toContain(join(config, 'jpki-bridge', INSTALLATION_UUID_FILE));
    expect(await install(['--browser', 'chromium', '--user-data-dir', await tempDir()])).toBe(0);
    const uuid = (await readFile(join(config, 'jpki-bridge', INSTALLATION_UUID_FILE), 'utf8')).trim();
    expect(uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(await install(['--browser', 'chromium', '--user-data-dir', await tempDir()])).toBe(0);
    expect(await installationUuid(join(config, 'jpki-bridge'))).toBe(uuid); // a second install keeps it
  });
});
