/**
 * Starts pcscd for system tests when none runs (DESIGN §11: `pcscd -f -a`, no systemd), and
 * stops or restarts it for fault tests. Never kills a pcscd it did not start, except through
 * restartPcscd()/stopPcscd(), whose whole point is to take PC/SC away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withPcsc } from './pcsc-client.ts';
import { acquireReaders, releaseReaders, tryAcquireReaders } from './reader-lock.ts';

const PID_FILE = '/run/pcscd/pcscd.pid';
const COMM_SOCKET = '/run/pcscd/pcscd.comm';
export const VIRTUAL_READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;
export const PCSCD_LOG = join(tmpdir(), 'jpki-bridge-pcscd.log');

/** The pcscd this process started, if any. */
let ours: ChildProcess | null = null;

export async function ensurePcscd(): Promise<{ startedByUs: boolean; stop(): Promise<void> }> {
  if (runningPid() !== null) {
    await waitReady();
    return { startedByUs: false, stop: async () => {} };
  }
  const child = await startPcscd();
  // Another process may have started one at the same moment: ours then exited at once.
  const startedByUs = ours === child;
  return {
    startedByUs,
    stop: async () => {
      // Only a pcscd this process started, and not while another process's tests use the readers
      // (they found it running and rely on it): then it stays, and is simply no longer ours.
      if (ours === null || !(await tryAcquireReaders())) return;
      try {
        await stopPcscd();
      } finally {
        releaseReaders();
      }
    },
  };
}

/** Is a pcscd process running right now (by its pid file)? */
export function pcscdIsRunning(): boolean {
  return runningPid() !== null;
}

/**
 * For serveCard, with the readers held: make sure a pcscd runs *now* — another process's
 * `ensurePcscd().stop()` may have stopped the one this process saw in its beforeAll.
 */
export async function pcscdRunningNow(): Promise<void> {
  if (runningPid() === null) await startPcscd();
}

/** Kills whatever pcscd runs (fault injection) and starts a fresh one, owned by this process. */
export async function restartPcscd(): Promise<void> {
  await acquireReaders();
  try {
    await stopUnlocked();
    await startPcscd();
  } finally {
    releaseReaders();
  }
}

/** Kills the running pcscd (by its pid file / our child) and waits until it is gone. */
export async function stopPcscd(): Promise<void> {
  await acquireReaders();
  try {
    await stopUnlocked();
  } finally {
    releaseReaders();
  }
}

async function stopUnlocked(): Promise<void> {
  const pid = runningPid();
  if (pid !== null) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  }
  const deadline = Date.now() + 10_000;
  while (runningPid() !== null) {
    if (Date.now() > deadline) {
      try {
        if (pid !== null) process.kill(pid, 'SIGKILL');
      } catch {}
      await sleep(200);
      break;
    }
    await sleep(50);
  }
  // A clean exit removes these; a killed (or long dead) pcscd leaves them for the next one to trip on.
  if (runningPid() === null) {
    for (const file of [COMM_SOCKET, PID_FILE]) {
      try {
        unlinkSync(file);
      } catch {}
    }
  }
  if (ours) await exited(ours);
  ours = null;
}

async function startPcscd(): Promise<ChildProcess> {
  const log = openSync(PCSCD_LOG, 'a');
  // Its own session: a pcscd outlives the test process that started it (as a daemon would) unless
  // that process stops it on purpose; otherwise it would die with its starter under other users.
  const child = spawn('pcscd', ['-f', '-a'], { stdio: ['ignore', log, log], detached: true });
  child.unref();
  closeSync(log);
  ours = child;
  child.once('exit', () => {
    if (ours === child) ours = null;
  });
  await waitReady();
  return child;
}

/** Ready = pcsclite lists both vpcd readers (vpcd is then listening on 35963/35964). */
async function waitReady(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (existsSync(COMM_SOCKET)) {
      try {
        await withPcsc((client) =>
          client.waitFor('the vpcd readers', () => VIRTUAL_READERS.every((name) => client.readerNames().includes(name)), 3_000),
        );
        return;
      } catch (error) {
        lastError = error;
      }
    }
    await sleep(100);
  }
  throw new Error(`pcscd did not become ready (log: ${PCSCD_LOG}): ${String(lastError ?? 'no /run/pcscd/pcscd.comm')}`);
}

function runningPid(): number | null {
  if (ours && ours.exitCode === null && ours.pid !== undefined) return ours.pid;
  try {
    // pcscd writes "<pid>\n\0": parseInt stops at the first non-digit.
    const pid = parseInt(readFileSync(PID_FILE, 'utf8'), 10);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    process.kill(pid, 0);
    // A killed pcscd whose parent is gone can linger as a zombie (signal 0 still succeeds).
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return null;
    return pid;
  } catch {
    return null;
  }
}

/** The child is unref'd (it may outlive us), so a referenced timer keeps this wait alive; bounded. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return Promise.race([new Promise<void>((resolve) => child.once('exit', () => resolve())), sleep(2_000)]);
}
