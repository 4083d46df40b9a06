/**
 * Spawns the real host process (`node native-host/bin/jpki-bridge.mjs host …`, exactly what the
 * launcher runs) and speaks native-messaging frames to it. For the host's black-box tests, and
 * reused by the extension's and the relying party's tests.
 *
 *   const host = await spawnHost({ card: 'virtual:/tmp/card.json' });
 *   host.hello;                                   // {type:'hello', version, protocol}
 *   const reply = await host.request('status', {}); // {id, result} | {id, error}
 *   host.writeRaw(bytes); await host.readFrame(2000);
 *   host.endInput(); await host.exited;            // exit code
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_RESPONSE_BYTES } from '@jpki-bridge/shared/constants';
import { FrameDecoder } from '../../native-host/src/framing/decoder.ts';
import { ensureBuilt, HOST_BIN, ROOT } from '../../tools/dev/checkout.ts';

export interface HostReply {
  id: number | null;
  result?: Record<string, unknown>;
  error?: { code: string; message: string; retriesLeft?: number };
}

export interface HostProcess {
  child: ChildProcess;
  hello: { type: string; version: string; protocol: number };
  /** Sends `{id, command, arguments}` and resolves with the next frame (checked to carry that id). One at a time: for pipelining use writeFrame + readFrame. */
  request(command: string, args: unknown, timeoutMs?: number): Promise<HostReply>;
  /** Writes arbitrary bytes to the host's stdin (no framing added). */
  writeRaw(bytes: Uint8Array): void;
  /** Writes one frame around `body` (a JSON value, or raw bytes). */
  writeFrame(body: unknown): void;
  /** The next frame from the host, parsed; rejects after `timeoutMs` or if the host exits first. */
  readFrame(timeoutMs?: number): Promise<any>;
  /** Closes the host's stdin (what the browser does when the port disconnects). */
  endInput(): void;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything the host wrote to stderr (its log, unless `log` was given). */
  stderr(): string;
  /** Bytes on stdout after the last complete frame (should stay 0: nothing but frames). */
  strayBytes(): number;
  kill(): void;
}

export interface SpawnHostOptions {
  card?: string;
  log?: string;
  /** Extra arguments, e.g. what a browser appends (`chrome-extension://<id>/`). */
  args?: string[];
  /** Default: this process's environment with XDG_CONFIG_HOME at `testConfigHome()`. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the hello. */
  helloTimeoutMs?: number;
}

let configHome: string | undefined;
/**
 * The XDG_CONFIG_HOME every host this test process spawns shares (made once): the portal
 * commands keep the installation uuid under it, never in the user's ~/.config.
 */
export function testConfigHome(): string {
  configHome ??= mkdtempSync(join(tmpdir(), 'jpki-host-config-'));
  return configHome;
}

export function frame(body: unknown): Uint8Array {
  const bytes = body instanceof Uint8Array ? body : new TextEncoder().encode(JSON.stringify(body));
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return out;
}

export async function spawnHost(options: SpawnHostOptions = {}): Promise<HostProcess> {
  ensureBuilt(['host']);
  const args = [HOST_BIN, 'host'];
  if (options.card) args.push('--card', options.card);
  if (options.log) args.push('--log', options.log);
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? { ...process.env, XDG_CONFIG_HOME: testConfigHome() },
  });
  child.stdin!.on('error', () => {}); // EPIPE after the host exits is part of some tests

  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));

  // The host's own incremental decoder, with the reply limit (1 MiB) instead of the request one.
  const frames: any[] = [];
  const waiters: { resolve: (value: any) => void; reject: (error: Error) => void }[] = [];
  const decoder = new FrameDecoder(MAX_RESPONSE_BYTES);
  let exitedFlag = false;
  const utf8 = new TextDecoder();
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      let parsed: any;
      if (event.type === 'fatal') parsed = { __badFrame: event.error.code };
      else {
        const body = utf8.decode(event.body);
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = { __unparsable: body };
        }
      }
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(parsed);
      else frames.push(parsed);
    }
  });

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitedFlag = true;
      // Let stdout drain before failing the waiters.
      setTimeout(() => {
        for (const waiter of waiters.splice(0)) waiter.reject(new Error(`host exited (${code}) before answering; stderr:\n${stderr}`));
      }, 50);
      resolve(code);
    });
  });

  const readFrame = (timeoutMs = 10_000): Promise<any> => {
    const ready = frames.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (exitedFlag && child.stdout!.readableEnded) return Promise.reject(new Error('host has exited'));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (value: any) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`no frame from the host within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };

  const writeRaw = (bytes: Uint8Array) => {
    if (!child.stdin!.destroyed) child.stdin!.write(bytes);
  };
  let nextId = 1;
  const hello = await readFrame(options.helloTimeoutMs ?? 10_000);

  return {
    child,
    hello,
    async request(command, args, timeoutMs = 60_000) {
      const id = nextId++;
      writeRaw(frame({ id, command, arguments: args }));
      const reply = (await readFrame(timeoutMs)) as HostReply;
      if (reply.id !== id) throw new Error(`expected the reply to #${id}, got ${JSON.stringify(reply).slice(0, 200)}`);
      return reply;
    },
    writeRaw,
    writeFrame: (body) => writeRaw(frame(body)),
    readFrame,
    endInput: () => child.stdin!.end(),
    exited,
    stderr: () => stderr,
    strayBytes: () => decoder.pendingBytes,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * Polls `status` until the host sees a JPKI card (or throws after `timeoutMs`). A card served a
 * moment ago may not be visible to PC/SC yet; tests call this before the command they measure.
 */
export async function settle(host: HostProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await host.request('status', {}, timeoutMs);
    if ((reply.result as { card: unknown } | undefined)?.card) return;
    if (Date.now() > deadline) throw new Error(`the host never saw the card: ${JSON.stringify(reply)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Waits until PC/SC can connect to a card in `readerName` — without sending an APDU (a card
 * served with removeAt counts APDUs, so `settle` would spend them). Connect + disconnect only.
 */
export async function waitForCardInReader(readerName: string, timeoutMs = 15_000): Promise<void> {
  const { loadPcsc, SHARE_SHARED, PROTOCOL_T0, PROTOCOL_T1, LEAVE_CARD } = await import('../../native-host/src/card/pcsc-binding.ts');
  // A fresh reader (and so a fresh PC/SC context) per call: pcscd may have been restarted since.
  // pcsclite CardReader objects must never be garbage-collected (see docs/DECISIONS.md): keep them.
  const reader = new (loadPcsc().CardReader)(readerName);
  probeReaders.push(reader);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const error = await new Promise<Error | null>((resolve) => reader._connect(SHARE_SHARED, PROTOCOL_T0 | PROTOCOL_T1, (e: Error | null) => resolve(e)));
    if (!error) {
      await new Promise<void>((resolve) => reader._disconnect(LEAVE_CARD, () => resolve()));
      return;
    }
    last = error.message;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no card in "${readerName}" within ${timeoutMs} ms (${last})`);
}
const probeReaders: unknown[] = [];
