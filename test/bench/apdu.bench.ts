/**
 * APDU round trip (printed, never pass/fail): the median time of READ BINARY 256 bytes and of the
 * retry-counter query, through pcscd + vpcd (real pcsclite, `virtual-card serve` in its own
 * process) and through the in-process card, side by side.
 *
 * Expect ~40 ms per APDU through vpcd: vsmartcard-vpcd 3.3 writes each frame's length and payload
 * as two TCP segments without TCP_NODELAY, so every APDU waits for the card side's delayed ACK.
 * That is the test reader's cost, not the card's or the product's (see docs/DECISIONS.md).
 */
import { loadCardState } from '../../native-host/src/virtual-card/state.ts';
import { VirtualJpkiCard } from '../../native-host/src/virtual-card/card.ts';
import { PcscClient } from '../../tools/dev/pcsc-client.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
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

export async function run(): Promise<void> {
  const pcscd = await ensurePcscd();
  const stateFile = await createCardState();
  const served = await serveCard({ stateFile });
  const client = PcscClient.open();
  const rows: { name: string; pcsc: number; inProcess: number }[] = [];
  try {
    const card = await client.connect(served.readerName, 'exclusive');
    const local = new VirtualJpkiCard(await loadCardState(stateFile));
    const localTx = (hex: string) => local.transmit(Buffer.from(hex, 'hex'));
    for (const c of CASES) {
      for (const hex of [SELECT_JPKI, ...c.setup]) {
        await card.transmit(hex);
        localTx(hex);
      }
      await card.transmit(c.apdu); // warm-up
      const pcsc = await timeEach(30, () => card.transmit(c.apdu));
      const bytes = Buffer.from(c.apdu, 'hex');
      const inProcess = await timeEach(2_000, () => local.transmit(bytes));
      rows.push({ name: c.name, pcsc, inProcess });
    }
    await card.disconnect('reset');
  } finally {
    await client.close();
    await served.stop();
    await pcscd.stop();
  }
  console.log('APDU round trip (median)            pcscd + vpcd     in-process');
  for (const r of rows) {
    console.log(`${r.name.padEnd(36)}${`${r.pcsc.toFixed(2)} ms`.padStart(12)}${`${(r.inProcess * 1000).toFixed(1)} µs`.padStart(15)}`);
  }
  console.log('(pcscd + vpcd: 30 runs through pcsclite; in-process: 2000 runs of VirtualJpkiCard.transmit)');
}
