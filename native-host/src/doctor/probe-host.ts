/**
 * Starts the host exactly as a browser does — the manifest's `path`, with Chrome's
 * `chrome-extension://<id>/` (Firefox: the manifest path and the add-on id) — and does a real
 * `status` round trip over frames. This is the check that counts: files can all be in place
 * while the browser still cannot start the host.
 */
import { spawn } from 'node:child_process';
import { MAX_RESPONSE_BYTES } from '@jpki-bridge/shared/constants';
import { FrameDecoder } from '../framing/decoder.ts';
import { encodeFrame } from '../framing/encoder.ts';

export interface ProbeResult {
  hello: Record<string, unknown> | null;
  status: Record<string, unknown> | null;
  /** Why there is no hello / status: spawn failure, exit, timeout, or the host's stderr. */
  problem: string | null;
  stderr: string;
}

export function probeHost(launcher: string, browserArgs: string[], timeouts = { hello: 10_000, status: 60_000 }): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const result: ProbeResult = { hello: null, status: null, problem: null, stderr: '' };
    let settled = false;
    const finish = (problem: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.problem = problem;
      child.stdin?.end();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      resolve(result);
    };
    const child = spawn(launcher, browserArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
    let timer = setTimeout(() => finish(`no hello within ${timeouts.hello} ms`), timeouts.hello);
    child.on('error', (error) => finish(`could not start ${launcher}: ${error.message}`));
    child.on('exit', (code, signal) => finish(`the host exited (${code ?? signal}) before answering`));
    child.stdin.on('error', () => {});
    child.stderr.setEncoding('utf8').on('data', (text: string) => (result.stderr = (result.stderr + text).slice(-4000)));
    const decoder = new FrameDecoder(MAX_RESPONSE_BYTES);
    child.stdout.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.type === 'fatal') return finish(`the host wrote a broken frame (${event.error.code})`);
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(new TextDecoder().decode(event.body));
        } catch {
          return finish('the host wrote something that is not JSON on stdout');
        }
        if (!result.hello) {
          result.hello = message;
          clearTimeout(timer);
          timer = setTimeout(() => finish(`no status reply within ${timeouts.status} ms`), timeouts.status);
          child.stdin.write(encodeFrame({ id: 1, command: 'status', arguments: {} })!);
        } else {
          result.status = message;
          return finish(null);
        }
      }
    });
  });
}
