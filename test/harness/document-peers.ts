/**
 * The verifiers nobody here wrote (openssl, pdfsig, qpdf, xmlsec1), run as a user would, and the
 * one-changed-byte documents every test hands them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs a peer tool (openssl, pdfsig, qpdf, xmlsec1): its exit code and output, never a throw. */
export async function peer(command: string, args: readonly string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { maxBuffer: 64 << 20 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A copy of `bytes` with one byte changed at `offset` (default: the middle). */
export function flipOneByte(bytes: Uint8Array, offset = Math.floor(bytes.length / 2)): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[offset] = copy[offset]! ^ 0x01;
  return copy;
}
