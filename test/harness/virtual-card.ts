/**
 * The virtual card for system tests, through the real CLI: `virtual-card create` makes a state
 * file, `virtual-card serve` puts the card into a vpcd reader. Tests see it only through pcscd,
 * exactly as the product does.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withPcsc } from './pcsc-client.ts';
import { pcscdIsRunning, pcscdRunningNow } from './pcscd.ts';
import { acquireReaders, releaseReaders } from './reader-lock.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'native-host/bin/jpki-bridge.mjs');
const BUNDLE = join(ROOT, 'native-host/dist/cli.mjs');
const run = promisify(execFile);

export const VIRTUAL_PINS = { auth: '1234', sign: 'ABC123' } as const;
export const READER_NAMES = { 35963: 'Virtual PCD 00 00', 35964: 'Virtual PCD 00 01' } as const;

export type Persona = 'adult' | 'minor' | 'expired';

/** Creates a card with the real CLI; returns the state file's path. */
export async function createCardState(options: { persona?: Persona; dir?: string } = {}): Promise<string> {
  await ensureBuilt();
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'jpki-virtual-card-')));
  const file = join(dir, `card-${options.persona ?? 'adult'}.json`);
  await run(process.execPath, [BIN, 'virtual-card', 'create', '--state', file, '--persona', options.persona ?? 'adult'], { cwd: ROOT });
  return file;
}

export interface ServedCard {
  stateFile: string;
  port: number;
  readerName: string;
  traceFile: string;
  /** The command APDUs seen so far, lowercase hex; PIN bytes appear as `**`. */
  traceCommands(): Promise<string[]>;
  /** Kill `serve` (the socket closes: the card is pulled out) and wait until PC/SC sees it gone. */
  pull(): Promise<void>;
  /** Serve the same state file again (a fresh power-up) and wait until PC/SC sees the card. */
  insert(): Promise<void>;
  /** Pull the card and stop; idempotent. */
  stop(): Promise<void>;
  /** Resolves when the current `serve` process exits by itself (e.g. after removeAt). */
  exited(): Promise<void>;
  /** What `serve` printed to stderr so far (for assertion messages). */
  log(): string;
}

export async function serveCard(options: { stateFile: string; port?: 35963 | 35964; removeAt?: number }): Promise<ServedCard> {
  await ensureBuilt();
  const port = options.port ?? 35963;
  const readerName = READER_NAMES[port];
  const traceFile = `${options.stateFile}.${port}.trace`;
  await writeFile(traceFile, '');
  let child: ChildProcess | null = null;
  let stderr = '';

  const start = async (removeAt?: number) => {
    const args = [BIN, 'virtual-card', 'serve', '--state', options.stateFile, '--port', String(port), '--trace', traceFile];
    if (removeAt !== undefined) args.push('--remove-at', String(removeAt));
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    // Ready = our own `serve` says vpcd talks to it (another process's card on the same port
    // would also make the reader look occupied), then PC/SC sees the card.
    const ready = new Promise<void>((resolve) => {
      proc.stderr!.setEncoding('utf8').on('data', (text: string) => {
        stderr += text;
        if (/virtual-card: ready/.test(stderr)) resolve();
      });
    });
    child = proc;
    const died = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`virtual-card serve exited (${code}) before the card appeared:\n${stderr}`))),
    );
    died.catch(() => {});
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`virtual-card serve was not served by vpcd within 60 s (another card in "${readerName}"?):\n${stderr}`)), 60_000).unref(),
    );
    await Promise.race([ready, died, timeout]);
    await withPcsc((client) => Promise.race([client.waitForCard(readerName, true, 15_000), died]));
  };

  const kill = async () => {
    const proc = child;
    child = null;
    if (!proc) return;
    if (proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGKILL');
      await gone;
    }
    // With pcscd stopped (a fault test), there is no one to see the card go: nothing to wait for.
    if (pcscdIsRunning()) await withPcsc((client) => client.waitForCard(readerName, false, 15_000));
  };

  // Held from here until stop(): pull()/insert() keep the readers ours.
  await acquireReaders();
  let released = false;
  try {
    await pcscdRunningNow();
    await start(options.removeAt);
  } catch (error) {
    await kill().catch(() => {});
    releaseReaders();
    throw error;
  }
  return {
    stateFile: options.stateFile,
    port,
    readerName,
    traceFile,
    traceCommands: async () =>
      (await readFile(traceFile, 'utf8'))
        .split('\n')
        .filter((line) => line.startsWith('> '))
        .map((line) => line.slice(2)),
    pull: kill,
    insert: async () => {
      await kill();
      await start();
    },
    stop: async () => {
      try {
        await kill();
      } finally {
        if (!released) releaseReaders();
        released = true;
      }
    },
    exited: async () => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    },
    log: () => stderr,
  };
}

let built: Promise<void> | null = null;
/** The CLI runs from its bundle; build it once if this checkout has none yet. */
function ensureBuilt(): Promise<void> {
  built ??= existsSync(BUNDLE)
    ? Promise.resolve()
    : run(process.execPath, [join(ROOT, 'native-host/build.mjs')], { cwd: ROOT }).then(() => {});
  return built;
}
