/**
 * Host figures (printed, never pass/fail):
 * - cold start: spawn → hello of the real host, next to bare `node -e ''` (target ≤ 1.3×);
 * - `authenticate` through pcscd → vpcd → the virtual card: median time and APDU count
 *   (target ≤ 13 APDUs), next to a raw replay of the very same APDUs through pcsclite with the
 *   same connect/disconnect (target ≤ 1.15×).
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '../../native-host/src/card/apdu.ts';
import { loadPcsc, PROTOCOL_T0, PROTOCOL_T1, RESET_CARD, SHARE_EXCLUSIVE } from '../../native-host/src/card/pcsc-binding.ts';
import { HOST_BIN } from '../../tools/dev/checkout.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { createCardState, serveCard } from '../../tools/dev/virtual-card.ts';
import { settle, spawnHost } from '../harness/host.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

function timeSpawn(args: string[], untilHello: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(performance.now() - started);
      child.stdin.end();
    };
    if (untilHello) child.stdout.once('data', finish);
    child.once('exit', () => (untilHello ? !done && reject(new Error('host exited before hello')) : finish()));
    child.once('error', reject);
  });
}

async function coldStart(): Promise<void> {
  const runs = 15;
  const bare: number[] = [];
  const host: number[] = [];
  await timeSpawn(['-e', ''], false); // warm the file cache for both
  await timeSpawn([HOST_BIN, 'host'], true);
  for (let i = 0; i < runs; i++) {
    bare.push(await timeSpawn(['-e', ''], false));
    host.push(await timeSpawn([HOST_BIN, 'host'], true));
  }
  const ratio = median(host) / median(bare);
  console.log(
    `cold start  host spawn→hello ${ms(median(host))}  bare node -e '' ${ms(median(bare))}  ratio ${ratio.toFixed(2)}×  (target ≤ 1.30×, ${runs} runs, medians)`,
  );
}

async function authenticateThroughPcscd(): Promise<void> {
  const pcscd = await ensurePcscd();
  const dir = await mkdtemp(join(tmpdir(), 'jpki-bench-'));
  const card = await serveCard({ stateFile: await createCardState({ persona: 'adult', dir }) });
  const host = await spawnHost({ card: 'pcsc' });
  try {
    await settle(host);
    const args = { origin: 'https://bench.example', challengeNonce: Buffer.alloc(32, 5).toString('base64'), pin: VIRTUAL_PINS.auth };
    const before = (await card.traceCommands()).length;
    const first = await host.request('authenticate', args);
    if (!first.result) throw new Error(`authenticate failed: ${JSON.stringify(first)}`);
    const apdus = (await card.traceCommands()).slice(before);
    const runs = 9;
    const viaHost: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const reply = await host.request('authenticate', args);
      viaHost.push(performance.now() - started);
      if (!reply.result) throw new Error(JSON.stringify(reply));
    }
    // The same APDUs, raw: the trace masks PIN bytes as `**`; put the known test PIN back.
    const pinHex = Buffer.from(VIRTUAL_PINS.auth, 'ascii').toString('hex');
    const replay = apdus.map((hex) => hexToBytes(hex.includes('*') ? hex.replace('*'.repeat(pinHex.length), pinHex) : hex));
    const raw: number[] = [];
    for (let i = 0; i < runs; i++) raw.push(await rawReplay(card.readerName, replay));
    const ratio = median(viaHost) / median(raw);
    console.log(
      `authenticate via host ${ms(median(viaHost))}  ${apdus.length} APDUs (target ≤ 13)  raw pcsclite replay ${ms(median(raw))}  ratio ${ratio.toFixed(2)}×  (target ≤ 1.15×, ${runs} runs, medians)`,
    );
  } finally {
    host.kill();
    await card.stop();
    await pcscd.stop();
  }
}

/** connect (exclusive) → every APDU → disconnect (reset), as the host does, straight on pcsclite. */
async function rawReplay(readerName: string, apdus: Uint8Array[]): Promise<number> {
  const { CardReader } = loadPcsc();
  const reader = (rawReplay.reader ??= new CardReader(readerName)); // kept: pcsclite readers must not be collected
  const started = performance.now();
  const protocol = await new Promise<number>((resolve, reject) =>
    reader._connect(SHARE_EXCLUSIVE, PROTOCOL_T0 | PROTOCOL_T1, (error, p) => (error ? reject(error) : resolve(p))),
  );
  for (const apdu of apdus) {
    await new Promise<void>((resolve, reject) => reader._transmit(Buffer.from(apdu), 4096, protocol, (error) => (error ? reject(error) : resolve())));
  }
  await new Promise<void>((resolve) => reader._disconnect(RESET_CARD, () => resolve()));
  return performance.now() - started;
}
rawReplay.reader = null as ReturnType<typeof loadPcsc>['CardReader'] extends new (n: string) => infer R ? R | null : never;

export async function run(): Promise<void> {
  await coldStart();
  try {
    await authenticateThroughPcscd();
  } catch (error) {
    console.log(`authenticate through pcscd: not measured (${(error as Error).message})`);
  }
}
