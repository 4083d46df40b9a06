/**
 * vitest globalSetup of the projects that use PC/SC (`system`, `package`): where the machine allows
 * it, each vitest worker gets a pcscd sandbox of its own (tools/dev/pcscd-sandbox.ts) — its own
 * pcscd, two readers and quickack loopback —, so test files run side by side and each APDU takes
 * about a millisecond instead of vpcd's ~44 ms. The sandboxes are named after this vitest process,
 * made by the workers as they start (test/harness/pcscd-sandbox-setup.ts) and removed here.
 * Elsewhere this does nothing, and the files use the machine's pcscd one at a time.
 */
import { existsSync, readdirSync } from 'node:fs';
import { pcscdSandboxesAvailable, removePcscdSandboxes } from '../../tools/dev/pcscd-sandbox.ts';

/** The prefix of this run's sandbox names, for the workers. */
export const SANDBOXES_ENV = 'JPKI_PCSCD_SANDBOXES';
const PREFIX = 'jpki-pcscd-';

export default function setup(): (() => void) | undefined {
  // Several projects of one run list this setup: the first one makes the sandboxes for all.
  if (process.env[SANDBOXES_ENV] || !pcscdSandboxesAvailable()) return;
  removeSandboxesOfDeadRuns();
  const prefix = `${PREFIX}${process.pid}-`;
  process.env[SANDBOXES_ENV] = prefix;
  return () => removePcscdSandboxes(prefix);
}

/** A run killed before its teardown leaves its sandboxes (and their pcscds) behind. */
function removeSandboxesOfDeadRuns(): void {
  if (!existsSync('/run/netns')) return;
  for (const name of readdirSync('/run/netns')) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (pid && !alive(pid)) removePcscdSandboxes(`${PREFIX}${pid}-`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
