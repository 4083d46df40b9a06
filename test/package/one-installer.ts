/**
 * The files that install the Debian package on this machine (deb.test.ts, apt-repository.test.ts)
 * take turns: dpkg refuses a second installer while one runs, and each file purges the package and
 * checks the machine around its own installation. Each holds this lock from before its first hook
 * to after its last, so the package project's other files run beside them.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { processLock } from '../../tools/dev/process-lock.ts';

const lock = processLock(() => join(tmpdir(), 'jpki-bridge-system-package.lock'), 'the installed Debian package');
/** Long enough for the other file's whole run. */
const WAIT_MS = 900_000;

/** Registers the hooks; call it at the top of the file, before its own beforeAll (hooks run in order, afterAll in reverse). */
export function oneInstallerAtATime(): void {
  beforeAll(() => lock.acquire(WAIT_MS), WAIT_MS);
  afterAll(() => lock.release());
}
