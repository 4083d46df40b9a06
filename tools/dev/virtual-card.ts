/**
 * The virtual card behind the real pcscd, through the product's CLI: `virtual-card create` makes
 * a state file, `virtual-card serve` puts the card into a vpcd reader. Whoever uses it (a test,
 * the demo, a bench) sees the card only through PC/SC, exactly as the host does.
 *
 *   const card = await serveCard({ stateFile: await createCardState({ persona: 'adult' }) });
 *   card.readerName;            // 'Virtual PCD 00 00'
 *   await card.pull(); await card.insert(); await card.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READER_NAMES } from '../../native-host/src/virtual-card/serve.ts';
import { ensureBuilt, HOST_BIN, ROOT } from './checkout.ts';
import { jpkiBridge } from './host-cli.ts';
import { withPcsc } from './pcsc-client.ts';
import { pcscdIsRunning, pcscdRunningNow } from './pcscd.ts';
import { inPcscdSandbox } from './pcscd-sandbox.ts';
import type { Persona } from './personas.ts';
import { acquireReaders, releaseReaders } from './reader-lock.ts';

/** vpcd's two ports, each one reader (named in READER_NAMES). */
export type VirtualReaderPort = keyof typeof READER_NAMES;

/** Creates a card with the real CLI (in a new temp dir unless `dir` is given); returns the state file's path. */
export async function createCardState(options: { persona?: Persona; dir?: string } = {}): Promise<string> {
  const persona = options.persona ?? 'adult';
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'jpki-virtual-card-')));
  const file = join(dir, `card-${persona}.json`);
  await jpkiBridge(['virtual-card', 'create', '--state', file, '--persona', persona]);
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

/**
 * Serves `stateFile` into the reader of `port` (default 35963, "Virtual PCD 00 00") and waits
 * until PC/SC sees the card. Holds the cross-process reader lock until stop(), and starts pcscd
 * again if another process stopped it in the meantime.
 */
export async function serveCard(options: { stateFile: string; port?: VirtualReaderPort; removeAt?: number }): Promise<ServedCard> {
  ensureBuilt(['host']);
  const port = options.port ?? 35963;
  const readerName = READER_NAMES[port];
  const traceFile = `${options.stateFile}.${port}.trace`;
  await writeFile(traceFile, '');
  let child: ChildProcess | null = null;
  let stderr = '';

  const start = async (removeAt?: number) => {
    const args = [HOST_BIN, 'virtual-card', 'serve', '--state', options.stateFile, '--port', String(port), '--trace', traceFile];
    if (removeAt !== undefined) args.push('--remove-at', String(removeAt));
    // In a pcscd sandbox, `serve` reaches that sandbox's vpcd inside its network namespace.
    const proc = spawn(...inPcscdSandbox(process.execPath, args), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
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
      setTimeout(
        () => reject(new Error(`virtual-card serve was not served by vpcd within 60 s (another card in "${readerName}"?):\n${stderr}`)),
        60_000,
      ).unref(),
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
