/** Issue 19 finding 8: `install --system` names only files and directories that root alone can change. */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notRootOwnedProblem, type Lstat } from '../../native-host/src/install/root-owned.ts';

const fake =
  (table: Record<string, { uid: number; mode: number }>): Lstat =>
  (path) => {
    const entry = table[path];
    if (!entry) throw new Error(`ENOENT: ${path}`);
    return entry;
  };
const DIR = 0o040755;
const FILE = 0o100755;
const same = (path: string) => path;

describe('notRootOwnedProblem', () => {
  const tree = { '/': { uid: 0, mode: DIR }, '/opt': { uid: 0, mode: DIR }, '/opt/jb': { uid: 0, mode: DIR }, '/opt/jb/cli.mjs': { uid: 0, mode: FILE } };

  it('accepts a path root owns all the way down, writable by root alone', () => {
    expect(notRootOwnedProblem('/opt/jb/cli.mjs', fake(tree), same)).toBeNull();
  });

  it.each([
    ['the file owned by a user', { '/opt/jb/cli.mjs': { uid: 1000, mode: FILE } }, /\/opt\/jb\/cli.mjs is owned by uid 1000/],
    ['a directory on the way owned by a user', { '/opt/jb': { uid: 1000, mode: DIR } }, /\/opt\/jb is owned by uid 1000/],
    ['a group-writable directory', { '/opt': { uid: 0, mode: 0o040775 } }, /\/opt is writable by its group \(mode 775\)/],
    ['a world-writable file', { '/opt/jb/cli.mjs': { uid: 0, mode: 0o100777 } }, /writable by everyone/],
  ])('refuses %s', (_name, change, problem) => {
    expect(notRootOwnedProblem('/opt/jb/cli.mjs', fake({ ...tree, ...change }), same)).toMatch(problem);
  });

  it('checks where a symlink leads, too', () => {
    const table = { ...tree, '/home': { uid: 0, mode: DIR }, '/home/taro': { uid: 1000, mode: DIR }, '/home/taro/cli.mjs': { uid: 1000, mode: FILE } };
    expect(notRootOwnedProblem('/opt/jb/cli.mjs', fake(table), () => '/home/taro/cli.mjs')).toMatch(/\/home\/taro\/cli.mjs is owned by uid 1000/);
  });

  it('on the real file system: /usr/bin/env passes, a file under the world-writable /tmp does not', () => {
    expect(notRootOwnedProblem('/usr/bin/env')).toBeNull();
    const dir = mkdtempSync('/tmp/jb-');
    try {
      writeFileSync(join(dir, 'cli.mjs'), '');
      expect(notRootOwnedProblem(join(dir, 'cli.mjs'))).toMatch(/^\/tmp is writable by everyone/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

// Needs root (to give the copy to another user) and the built bundle (`npm test` builds first).
describe.skipIf(process.getuid?.() !== 0)('jpki-bridge install --system (as root)', () => {
  const dist = join(import.meta.dirname, '../../native-host/dist');
  // A copy of the bundle (npm run build:host) in a directory the invoking user (uid 1000) owns, as `npm install` in a home would leave it.
  let home: string;
  beforeAll(() => {
    home = join('/root', `jb-home-${process.pid}`);
    mkdirSync(home);
    const copy = spawnSync('cp', ['-r', dist, join(home, 'dist')]);
    expect(copy.status).toBe(0);
    chownSync(home, 1000, 1000);
    chmodSync(home, 0o755);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('refuses, with exit 77 and before writing anything, a bundle in a directory a user owns', () => {
    const out = spawnSync(process.execPath, [join(home, 'dist', 'cli.mjs'), 'install', '--system', '--dry-run', '--browser', 'chromium'], { encoding: 'utf8' });
    expect(out.status).toBe(77);
    expect(out.stderr).toContain(`${home} is owned by uid 1000, not root`);
    expect(out.stdout).not.toContain('launcher');
  });
});
