/**
 * pcscd for the demo, the tests and the benches: started as `pcscd -f -a` (in the foreground, no
 * systemd, which test machines and containers lack) when none runs, and stopped or restarted on
 * purpose by fault tests. Never kills a pcscd it did not start, except through
 * restartPcscd()/stopPcscd(), whose whole point is to take PC/SC away.
 *
 * In a process that entered a pcscd sandbox (tools/dev/pcscd-sandbox.ts) all of this applies to
 * the sandbox's own pcscd instead of the machine's; it then stays up until the sandbox is removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PCSCD_SOCKET } from '../../native-host/src/cli/doctor.ts';
import { READER_NAMES } from '../../native-host/src/virtual-card/serve.ts';
import { withPcsc } from './pcsc-client.ts';
import { currentPcscdSandbox, inPcscdSandbox } from './pcscd-sandbox.ts';
import { acquireReaders, releaseReaders, tryAcquireReaders } from './reader-lock.ts';

export { PCSCD_SOCKET };
const SYSTEM_PID_FILE = '/run/pcscd/pcscd.pid';
/** The pid file and socket of the pcscd this process uses: the machine's, or its sandbox's. */
const pidFile = () => currentPcscdSandbox()?.pidFile ?? SYSTEM_PID_FILE;
const socketFile = () => currentPcscdSandbox()?.socket ?? PCSCD_SOCKET;
const VIRTUAL_READERS = Object.values(READER_NAMES);
/** pcscd's own output, for when it does not come up. */
export const PCSCD_LOG = join(tmpdir(), 'jpki-bridge-pcscd.log');

/** Is the PC/SC path installed at all: pcscd and the vpcd reader driver (Debian: vsmartcard-vpcd)? */
export function pcscInstalled(): boolean {
  return ['/usr/sbin/pcscd', '/etc/reader.conf.d/vpcd'].every((path) => existsSync(path));
}

/** The pcscd this process started, if any. */
let ours: ChildProcess | null = null;

/**
 * A running pcscd with both vpcd readers listed: the one that runs, used as it is, or one started
 * here. `stop()` stops only a pcscd this process started, and only while no other process holds
 * the virtual readers.
 */
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
      // A sandbox's pcscd serves the sandbox's next test file too; removing the sandbox stops it.
      if (currentPcscdSandbox()) return;
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
    for (const file of [socketFile(), pidFile()]) {
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
  // In a sandbox: inside its network namespace, with its private directory over /run/pcscd.
  const sandbox = currentPcscdSandbox();
  const [command, args] = sandbox ? inPcscdSandbox('sh', ['-c', 'mount --bind "$0" /run/pcscd && exec pcscd -f -a', sandbox.runDir]) : ['pcscd', ['-f', '-a']];
  const child = spawn(command, args, { stdio: ['ignore', log, log], detached: true });
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
    if (existsSync(socketFile())) {
      try {
        await withPcsc((client) => client.waitFor('the vpcd readers', () => VIRTUAL_READERS.every((name) => client.readerNames().includes(name)), 3_000));
        return;
      } catch (error) {
        lastError = error;
      }
    }
    await sleep(100);
  }
  throw new Error(`pcscd did not become ready (log: ${PCSCD_LOG}): ${String(lastError ?? `no ${socketFile()}`)}`);
}

function runningPid(): number | null {
  if (ours && ours.exitCode === null && ours.pid !== undefined) return ours.pid;
  try {
    // pcscd writes "<pid>\n\0": parseInt stops at the first non-digit.
    const pid = parseInt(readFileSync(pidFile(), 'utf8'), 10);
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
