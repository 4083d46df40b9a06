/**
 * A lock shared by the processes of this machine: a file holding its owner's pid, re-entrant
 * within a process, and taken over when its owner has died. For what only one process may use at
 * a time — the vpcd readers (reader-lock.ts), the machine's dpkg (test/package/one-installer.ts).
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessLock {
  /** Waits (up to timeoutMs) for the lock; call release() once per acquire(). */
  acquire(timeoutMs: number): Promise<void>;
  /** Takes the lock only if nobody else holds it right now. */
  tryAcquire(): Promise<boolean>;
  release(): void;
}

/** The lock kept in `file()` (asked each time: it may change with the process's pcscd sandbox); `what` names it in errors. */
export function processLock(file: () => string, what: string): ProcessLock {
  let holds = 0;

  const readOwner = (): number | null => {
    try {
      const pid = Number(readFileSync(file(), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };

  /**
   * Creates the lock with the pid already in it: written beside it, then linked into place, which
   * fails if the lock exists. (Created empty and written after, a waiter reading in between saw no
   * owner and could take the lock over from a live one.)
   */
  const tryCreate = (): boolean => {
    const lock = file();
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
  };

  const lock: ProcessLock = {
    async acquire(timeoutMs) {
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
            unlinkSync(file());
          } catch {}
          continue;
        }
        if (Date.now() >= deadline) throw new Error(`${what}: still held by pid ${owner} (${file()})`);
        await sleep(200);
      }
    },
    async tryAcquire() {
      try {
        await lock.acquire(0);
        return true;
      } catch {
        return false;
      }
    },
    release() {
      if (holds === 0) return;
      holds--;
      if (holds > 0) return;
      if (readOwner() === process.pid) {
        try {
          unlinkSync(file());
        } catch {}
      }
    },
  };
  return lock;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
