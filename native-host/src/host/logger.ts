/**
 * The host's log: stderr, or a file with `--log`. Never stdout (that carries frames only) and
 * never a PIN: callers log command names, ids, codes and timings, not arguments.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface Logger {
  info(message: string): void;
  close(): void;
}

export function createLogger(file: string | undefined): Logger {
  let fd: number | null = null;
  if (file) {
    try {
      fd = openSync(file, 'a', 0o600);
    } catch {
      fd = null; // an unwritable log must not stop the host; fall back to stderr
    }
  }
  const write = (line: string) => {
    try {
      if (fd !== null) writeSync(fd, line);
      else process.stderr.write(line);
    } catch {
      /* logging is best effort */
    }
  };
  return {
    info: (message) => write(`${new Date().toISOString()} [jpki-bridge ${process.pid}] ${message}\n`),
    close: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/**
 * Routes console.* and any stray process.stdout.write to the log, so that a library that prints
 * cannot corrupt the frame stream. Returns the real stdout writer, for the frame writer alone.
 */
export function guardStdout(log: Logger): (chunk: Uint8Array, done?: (error?: Error | null) => void) => boolean {
  const realWrite = process.stdout.write.bind(process.stdout) as (chunk: Uint8Array, done?: (error?: Error | null) => void) => boolean;
  const toLog = (...parts: unknown[]) => log.info(parts.map((p) => (typeof p === 'string' ? p : String(p))).join(' '));
  console.log = console.info = console.debug = console.warn = console.error = console.trace = toLog;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    toLog(`(stray stdout) ${typeof chunk === 'string' ? chunk : '<bytes>'}`);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  return realWrite;
}
