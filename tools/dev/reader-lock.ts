/**
 * One cross-process lock for the two vpcd readers. vpcd offers only two virtual readers, so
 * whatever serves a card into them (test files, the demo, the benches) must not overlap —
 * vitest's `system` project runs its files one at a time, but several processes (a demo beside a
 * test run, several vitest runs) would still collide: a second `serve` on the same port silently
 * never gets a reader. A process in a pcscd sandbox (tools/dev/pcscd-sandbox.ts) has readers of
 * its own: its lock is the sandbox's, so sandboxes never wait for each other.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentPcscdSandbox } from './pcscd-sandbox.ts';
import { processLock } from './process-lock.ts';

const READER_LOCK_FILE = join(tmpdir(), 'jpki-bridge-virtual-readers.lock');
/** The lock of the readers this process uses: the machine's, or its sandbox's. */
const readers = processLock(() => currentPcscdSandbox()?.lockFile ?? READER_LOCK_FILE, 'the virtual readers');

/** Waits (up to timeoutMs) for the readers; call releaseReaders() once per acquireReaders(). */
export const acquireReaders = (timeoutMs = 600_000): Promise<void> => readers.acquire(timeoutMs);
/** Takes the readers only if nobody else holds them right now. */
export const tryAcquireReaders = (): Promise<boolean> => readers.tryAcquire();
export const releaseReaders = (): void => readers.release();
