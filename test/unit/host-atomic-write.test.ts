/**
 * Writing a file whole or not at all (native-host/src/fs/atomic-write.ts): the modes, replacing
 * and not replacing, failures, and a process killed part-way through — the target keeps its old
 * text, however far the write had got.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../native-host/src/fs/atomic-write.ts';
import { plainModule } from '../harness/plain-module.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tempDir = () => mkdtemp(join(tmpdir(), 'jpki-atomic-'));
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** Runs `script` (an ES module, after `patch`) in a node of its own; resolves with the signal that ended it. */
async function runKilled(patch: string, script: string): Promise<NodeJS.Signals | null> {
  const module = await plainModule(join(ROOT, 'native-host/src/fs/atomic-write.ts'), await tempDir());
  const source = `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
${patch}
syncBuiltinESMExports(); // the module's own named imports of node:fs now see the patch
const { writeFileAtomic, writeFileAtomicSync } = await import(${JSON.stringify(module)});
${script}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal ? resolve(signal) : reject(new Error(`the writer was not killed (exit ${code}):\n${stderr}`))));
  });
}

describe('atomic write', () => {
  for (const [name, write] of [
    ['writeFileAtomic', (file: string, text: string) => writeFileAtomic(file, text)],
    ['writeFileAtomicSync', async (file: string, text: string) => writeFileAtomicSync(file, text)],
  ] as const) {
    it(`${name} makes the missing parent directories 0700 and the file 0600`, async () => {
      const base = await tempDir();
      const file = join(base, 'a', 'b', 'secret');
      await write(file, 'one\n');
      expect(await readFile(file, 'utf8')).toBe('one\n');
      expect(await modeOf(join(base, 'a'))).toBe(0o700);
      expect(await modeOf(join(base, 'a', 'b'))).toBe(0o700);
      expect(await modeOf(file)).toBe(0o600);
    });

    it(`${name} replaces a file that is there, 0644 before, with the whole new text at 0600 and leaves no temporary file`, async () => {
      const dir = await tempDir();
      const file = join(dir, 'state.json');
      await writeFile(file, 'old text that is longer than the new one\n', { mode: 0o644 });
      await write(file, 'new\n');
      expect(await readFile(file, 'utf8')).toBe('new\n');
      expect(await modeOf(file)).toBe(0o600);
      expect(await readdir(dir)).toEqual(['state.json']);
    });

    it(`${name} that fails (the name is taken by a directory) throws and removes its temporary file`, async () => {
      const dir = await tempDir();
      await mkdir(join(dir, 'taken', 'inside'), { recursive: true });
      await expect(write(join(dir, 'taken'), 'text')).rejects.toThrow();
      expect(await readdir(dir)).toEqual(['taken']);
    });
  }

  it('with replace: false a file already there is kept as it is and the answer is false', async () => {
    const dir = await tempDir();
    const file = join(dir, 'installation-uuid');
    expect(await writeFileAtomic(file, 'first\n', { replace: false })).toBe(true);
    expect(await writeFileAtomic(file, 'second\n', { replace: false })).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('first\n');
    expect(await readdir(dir)).toEqual(['installation-uuid']);
  });

  it('a writer killed half-way through writing the text leaves the old text under the name', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    await writeFile(file, 'old\n');
    const signal = await runKilled(
      `const write = fs.writeFileSync;
fs.writeFileSync = (fd, text) => { write(fd, text.slice(0, text.length / 2)); process.kill(process.pid, 'SIGKILL'); };`,
      `writeFileAtomicSync(${JSON.stringify(file)}, 'new text, '.repeat(1000));`,
    );
    expect(signal).toBe('SIGKILL');
    expect(await readFile(file, 'utf8')).toBe('old\n');
    // What was written lies in a hidden temporary file, which readers of the name never open.
    const left = (await readdir(dir)).filter((name) => name !== 'state.json');
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.state\.json\..*\.tmp$/);
    expect(await readFile(join(dir, left[0]!), 'utf8')).toBe('new text, '.repeat(500));
  });

  it('a writer killed after the fsync but before the rename leaves the old text under the name', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    await writeFile(file, 'old\n');
    const signal = await runKilled(
      `fs.promises.rename = async () => { process.kill(process.pid, 'SIGKILL'); await new Promise(() => {}); };`,
      `await writeFileAtomic(${JSON.stringify(file)}, 'new\\n');`,
    );
    expect(signal).toBe('SIGKILL');
    expect(await readFile(file, 'utf8')).toBe('old\n');
  });
});
