/**
 * Fixtures that cost seconds of CPU to make — RSA keys, so virtual cards and test CAs — made once
 * per run and shared by every test file that asks for the same one, instead of once per file. The
 * first process to ask makes it under a lock (tools/dev/process-lock.ts) and writes `KEY.json` into
 * the run's directory (test/harness/fixture-cache-dir.ts); the others wait for the lock and read
 * that. A value must survive JSON; each caller gets its own copy, so no file sees another's changes.
 * Outside a run that provides the directory (a bench, another project), each call makes its own.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import { processLock } from '../../tools/dev/process-lock.ts';

/** Beyond what making a card takes on a loaded machine: a bound against a hang, as the hook timeout. */
const WAIT_MS = 60_000;
/** The JSON of each fixture this process has asked for (a worker runs many files). */
const texts = new Map<string, Promise<string>>();

export async function sharedFixture<T>(key: string, make: () => T | Promise<T>): Promise<T> {
  const dir = inject('fixtureCacheDir');
  if (!dir) return make();
  if (!texts.has(key)) texts.set(key, madeOnce(join(dir, `${key}.json`), make));
  return JSON.parse(await texts.get(key)!) as T;
}

async function madeOnce(file: string, make: () => unknown): Promise<string> {
  const lock = processLock(() => `${file}.lock`, `the shared test fixture ${file}`);
  await lock.acquire(WAIT_MS);
  try {
    const made = await readFile(file, 'utf8').catch(() => undefined);
    if (made !== undefined) return made;
    const text = JSON.stringify(await make());
    await writeFile(file, text);
    return text;
  } finally {
    lock.release();
  }
}
