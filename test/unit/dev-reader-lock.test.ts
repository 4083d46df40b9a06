/**
 * tools/dev/reader-lock.ts across real processes: each child runs the module (compiled once,
 * test/harness/plain-module.ts) with its own TMPDIR, so the lock file is a private one and a test
 * run beside this one is not disturbed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { plainModule } from '../harness/plain-module.ts';

const run = promisify(execFile);
/** The lock module compiled, in a directory of its own. */
let moduleDir: string;
let lockModule: string;
let dir: string;
const lockFile = () => join(dir, 'jpki-bridge-virtual-readers.lock');

/** Runs `body` in a child Node with the lock module imported as `lock`; returns its stdout. */
async function child(body: string): Promise<string> {
  const script = `const lock = await import(${JSON.stringify(lockModule)});\n${body}`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TMPDIR: dir } });
  return stdout.trim();
}

beforeAll(async () => {
  moduleDir = mkdtempSync(join(tmpdir(), 'jpki-bridge-reader-lock-module-'));
  lockModule = await plainModule(fileURLToPath(new URL('../../tools/dev/reader-lock.ts', import.meta.url)), moduleDir);
});
afterAll(() => rmSync(moduleDir, { recursive: true, force: true }));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jpki-bridge-reader-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the virtual readers lock', () => {
  it('is taken over from an owner that has died, and names its new owner', async () => {
    writeFileSync(lockFile(), '2147483646\n'); // no such process
    const pid = await child('await lock.acquireReaders(5_000); console.log(process.pid);');
    expect(readFileSync(lockFile(), 'utf8').trim()).toBe(pid);
  });

  it('is not taken from a live owner', async () => {
    writeFileSync(lockFile(), `${process.pid}\n`);
    expect(await child('console.log(await lock.tryAcquireReaders());')).toBe('false');
    expect(readFileSync(lockFile(), 'utf8').trim()).toBe(String(process.pid));
  });

  it('lets one process at a time hold the readers when several race for them', async () => {
    // Each child notes when it held the readers; no two spans may overlap.
    const body = `await lock.acquireReaders(60_000);
      const from = performance.timeOrigin + performance.now();
      await new Promise((resolve) => setTimeout(resolve, 40));
      const to = performance.timeOrigin + performance.now();
      lock.releaseReaders();
      console.log(JSON.stringify([from, to]));`;
    const spans = (await Promise.all(Array.from({ length: 6 }, () => child(body)))).map((out) => JSON.parse(out) as [number, number]);
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    // Released by the last holder, and nothing left beside it.
    expect(readdirSync(dir).filter((name) => name.startsWith('jpki-bridge'))).toEqual([]);
  }, 60_000);
});
