/**
 * APDU round trip (printed, never pass/fail): the median time of READ BINARY 256 bytes and of the
 * retry-counter query, through pcscd + vpcd (real pcsclite, `virtual-card serve` in its own
 * process) and through the in-process card, side by side — and, where the machine allows pcscd
 * sandboxes (tools/dev/pcscd-sandbox.ts: root, iproute2), through a sandbox's pcscd too.
 *
 * Expect ~40 ms per APDU through the machine's vpcd: vsmartcard-vpcd 3.3 writes each frame's
 * length and payload as two TCP segments without TCP_NODELAY, so every APDU waits for the card
 * side's delayed ACK. That is the test reader's cost, not the card's or the product's (see
 * docs/DECISIONS.md); a sandbox's loopback route has `quickack`, which the tests use.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCardState } from '../../native-host/src/virtual-card/state-file.ts';
import { VirtualJpkiCard } from '../../native-host/src/virtual-card/card.ts';
import { PcscClient } from '../../tools/dev/pcsc-client.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { SANDBOX_ENV, currentPcscdSandbox, enterPcscdSandbox, pcscdSandboxesAvailable, removePcscdSandboxes } from '../../tools/dev/pcscd-sandbox.ts';
import { createCardState, serveCard } from '../../tools/dev/virtual-card.ts';
import { SELECT_JPKI, selectEf } from '../harness/raw-apdus.ts';

const CASES = [
  { name: 'READ BINARY 256 bytes', setup: [selectEf('000a')], apdu: '00b0000000' },
  { name: 'retry counter (VERIFY, no data)', setup: [selectEf('0018')], apdu: '00200080' },
] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeEach(times: number, once: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** The median round trip of each case through the PC/SC this process uses (the machine's pcscd or its sandbox's). */
async function pcscMedians(stateFile: string): Promise<number[]> {
  const pcscd = await ensurePcscd();
  const served = await serveCard({ stateFile });
  const client = PcscClient.open();
  try {
    const card = await client.connect(served.readerName, 'exclusive');
    const medians: number[] = [];
    for (const c of CASES) {
      for (const hex of [SELECT_JPKI, ...c.setup]) await card.transmit(hex);
      await card.transmit(c.apdu); // warm-up
      medians.push(await timeEach(30, () => card.transmit(c.apdu)));
    }
    await card.disconnect('reset');
    return medians;
  } finally {
    await client.close();
    await served.stop();
    await pcscd.stop();
  }
}

/**
 * The same through a sandbox's pcscd, in a child process: libpcsclite picks its socket once per
 * process, so this one cannot switch. Null where sandboxes cannot be made.
 */
function sandboxMedians(stateFile: string): number[] | null {
  if (currentPcscdSandbox() || !pcscdSandboxesAvailable()) return null;
  const name = `jpki-pcscd-bench-${process.pid}`;
  const outside = { sandbox: process.env[SANDBOX_ENV], socket: process.env.PCSCLITE_CSOCK_NAME };
  try {
    enterPcscdSandbox(name);
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), SANDBOX_LEG, stateFile], { encoding: 'utf8' });
    const line = child.stdout.split('\n').find((l) => l.startsWith(SANDBOX_LEG));
    if (!line) throw new Error(`the sandbox leg printed no figures:\n${child.stderr}`);
    return JSON.parse(line.slice(SANDBOX_LEG.length)) as number[];
  } finally {
    for (const [key, value] of [
      [SANDBOX_ENV, outside.sandbox],
      ['PCSCLITE_CSOCK_NAME', outside.socket],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    removePcscdSandboxes(name);
  }
}
const SANDBOX_LEG = '--sandbox-leg';

export async function run(): Promise<void> {
  const stateFile = await createCardState();
  const pcsc = await pcscMedians(stateFile);
  const sandbox = sandboxMedians(stateFile);
  const local = new VirtualJpkiCard(await loadCardState(stateFile));
  const inProcess: number[] = [];
  for (const c of CASES) {
    for (const hex of [SELECT_JPKI, ...c.setup]) local.transmit(Buffer.from(hex, 'hex'));
    const bytes = Buffer.from(c.apdu, 'hex');
    inProcess.push(await timeEach(2_000, () => local.transmit(bytes)));
  }
  const where = currentPcscdSandbox() ? 'sandbox pcscd' : 'pcscd + vpcd';
  console.log(`APDU round trip (median)            ${where.padStart(12)}${sandbox ? '  sandbox (quickack)' : ''}     in-process`);
  CASES.forEach((c, i) => {
    const cells = [
      `${pcsc[i]!.toFixed(2)} ms`.padStart(12),
      ...(sandbox ? [`${sandbox[i]!.toFixed(2)} ms`.padStart(21)] : []),
      `${(inProcess[i]! * 1000).toFixed(1)} µs`.padStart(15),
    ];
    console.log(`${c.name.padEnd(36)}${cells.join('')}`);
  });
  console.log('(pcscd: 30 runs through pcsclite; in-process: 2000 runs of VirtualJpkiCard.transmit)');
}

// The sandbox leg (sandboxMedians): this file run by itself inside a sandbox.
if (process.argv[2] === SANDBOX_LEG) {
  const medians = await pcscMedians(process.argv[3]!);
  console.log(`${SANDBOX_LEG}${JSON.stringify(medians)}`);
  process.exit(0);
}
