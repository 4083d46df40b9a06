/**
 * Fixtures that cost seconds of CPU to make — RSA keys, so virtual cards and test CAs — made once
 * per run and shared by every test file that asks for the same one, instead of once per file. The
 * first worker to ask makes it (holding `KEY.json.lock`) and writes `KEY.json` into the run's
 * directory (test/harness/fixture-cache-dir.ts); the others wait for that file and read it. A value
 * must survive JSON; each caller gets its own copy, so no file sees another's changes. Outside a
 * run that provides the directory (a bench, another project), each call makes its own.
 */
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

export async function sharedFixture<T>(key: string, make: () => T | Promise<T>): Promise<T> {
  const dir = inject('fixtureCacheDir');
  if (!dir) return make();
  const file = join(dir, `${key}.json`);
  for (;;) {
    const made = await readFile(file, 'utf8').catch(() => undefined);
    if (made !== undefined) return JSON.parse(made) as T;
    if (await takeLock(`${file}.lock`)) {
      try {
        const text = JSON.stringify(await make());
        await writeFile(`${file}.${process.pid}`, text);
        await rename(`${file}.${process.pid}`, file); // whole or not at all, for the readers
        return JSON.parse(text) as T;
      } catch (error) {
        await rm(`${file}.lock`, { force: true }); // another file may try again
        throw error;
      }
    }
    await sleep(50);
  }
}

/** True when this process now makes the fixture; a lock whose maker has died is taken over. */
async function takeLock(lock: string): Promise<boolean> {
  try {
    const handle = await open(lock, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
  if (owner && !alive(owner)) await rm(lock, { force: true });
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
