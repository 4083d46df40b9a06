/**
 * pcscd for the demo, politely: if one is running (its socket exists) it is used as it is and
 * never stopped — other programs (and other developers' tests) may depend on it. Otherwise the
 * demo starts `pcscd -f -a` (DESIGN §11: no systemd) and stops exactly that process when it ends.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const COMM_SOCKET = '/run/pcscd/pcscd.comm';

export async function ensurePcscd(logDir: string): Promise<{ startedByUs: boolean; stop(): Promise<void> }> {
  if (existsSync(COMM_SOCKET)) return { startedByUs: false, stop: async () => {} };
  const logFile = openSync(join(logDir, 'pcscd.log'), 'a');
  const child = spawn('pcscd', ['-f', '-a'], { stdio: ['ignore', logFile, logFile] });
  closeSync(logFile);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!existsSync(COMM_SOCKET)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('pcscd did not start');
    await sleep(50);
  }
  await sleep(500); // vpcd opens its two ports while pcscd loads the reader drivers
  return {
    startedByUs: true,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
