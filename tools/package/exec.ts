/** Runs a build tool, its output shown; a failure stops `npm run package` with the command named. */
import { execFileSync, spawn } from 'node:child_process';
import { ROOT } from './paths.ts';

export function exec(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  try {
    execFileSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed: ${(error as Error).message}`);
  }
}

/** Same, returning stdout (for tools whose answer we use). */
export function capture(command: string, args: readonly string[], options: { cwd?: string } = {}): string {
  return execFileSync(command, args, { cwd: options.cwd ?? ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Same, in the background: for a long step (xz) that other steps need not wait for. */
export function execInBackground(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code})`))));
  });
}
