/**
 * One cross-process lock for the two vpcd readers. vpcd offers only two virtual readers, so
 * whatever serves a card into them (test files, the demo, the benches) must not overlap —
 * vitest's `system` project runs its files one at a time, but several processes (a demo beside a
 * test run, several vitest runs) would still collide: a second `serve` on the same port silently
 * never gets a reader. The lock is a file holding the owner's pid, re-entrant within a process,
 * and taken over when its owner has died. A process in a pcscd sandbox (tools/dev/pcscd-sandbox.ts)
 * has readers of its own: its lock is the sandbox's, so sandboxes never wait for each other.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentPcscdSandbox } from './pcscd-sandbox.ts';

export const READER_LOCK_FILE = join(tmpdir(), 'jpki-bridge-virtual-readers.lock');
/** The lock of the readers this process uses: the machine's, or its sandbox's. */
const lockFile = () => currentPcscdSandbox()?.lockFile ?? READER_LOCK_FILE;

let holds = 0;

/** Waits (up to timeoutMs) for the readers; call releaseReaders() once per acquireReaders(). */
export async function acquireReaders(timeoutMs = 600_000): Promise<void> {
  if (holds > 0) {
    holds++;
    return;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (tryCreate()) {
      holds = 1;
      return;
    }
    const owner = readOwner();
    if (owner === process.pid) {
      holds = 1;
      return;
    }
    // The file is born with its pid (tryCreate), so an empty or unreadable one was left by a crash
    // of an older build, or was just released: look again before taking it over.
    if (owner === null) await sleep(100);
    const stale = owner === null ? readOwner() === null : !alive(owner);
    // Removed only while it still names the dead owner: another waiter may have taken it over.
    if (stale && readOwner() === owner) {
      try {
        unlinkSync(lockFile());
      } catch {}
      continue;
    }
    if (Date.now() >= deadline) throw new Error(`the virtual readers are still in use by pid ${owner} (${lockFile()})`);
    await sleep(200);
  }
}

/** Takes the readers only if nobody else holds them right now. */
export async function tryAcquireReaders(): Promise<boolean> {
  try {
    await acquireReaders(0);
    return true;
  } catch {
    return false;
  }
}

export function releaseReaders(): void {
  if (holds === 0) return;
  holds--;
  if (holds > 0) return;
  if (readOwner() === process.pid) {
    try {
      unlinkSync(lockFile());
    } catch {}
  }
}

/**
 * Creates the lock with the pid already in it: written beside it, then linked into place, which
 * fails if the lock exists. (Created empty and written after, a waiter reading in between saw no
 * owner and could take the lock over from a live one.)
 */
function tryCreate(): boolean {
  const lock = lockFile();
  const own = `${lock}.${process.pid}`;
  try {
    writeFileSync(own, `${process.pid}\n`);
    linkSync(own, lock);
    return true;
  } catch {
    return false;
  } finally {
    try {
      unlinkSync(own);
    } catch {}
  }
}

function readOwner(): number | null {
  try {
    const pid = Number(readFileSync(lockFile(), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
