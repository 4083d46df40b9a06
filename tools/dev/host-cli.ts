/**
 * Runs the product's own CLI, `jpki-bridge …`, as a user would: every card the tools make and
 * every manifest they install comes from the shipped commands, so using the tools also exercises
 * them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureBuilt, HOST_BIN, ROOT } from './checkout.ts';

const run = promisify(execFile);

/** `jpki-bridge ...args`; resolves with its stdout, rejects (with its stderr) on a non-zero exit. */
export async function jpkiBridge(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  ensureBuilt(['host']);
  const { stdout } = await run(process.execPath, [HOST_BIN, ...args], { cwd: ROOT, env: options.env ?? process.env });
  return stdout;
}
