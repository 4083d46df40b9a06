/**
 * Signing a 10 MB PDF with the card (printed, never pass/fail). Target: the whole signing costs
 * ≤ 1.2 × (the card's own part + one SHA-256 of the file) — preparing the incremental update,
 * the CMS and the embedding may add at most a fifth. The card is the virtual one in process
 * (the CLI's card signer over `--card virtual:FILE`: the same JPKI APDUs and policy steps), which
 * makes the card's part small and the ratio the strictest; through pcscd + vpcd each APDU adds
 * ~40 ms and the ratio only gets closer to 1.
 */
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardBackend } from '../../native-host/src/card/backend.ts';
import { createPcscBackend } from '../../native-host/src/card/pcsc-backend.ts';
import { createVirtualBackend } from '../../native-host/src/card/virtual-backend.ts';
import { withCardSigner } from '../../native-host/src/documents/card-signer.ts';
import { createCardState, DEFAULT_PINS } from '../../native-host/src/virtual-card/index.ts';
import { saveCardState } from '../../native-host/src/virtual-card/state-file.ts';
import { signDetached } from '../../relying-party/src/index.ts';
import { embedPdfSignature, preparePdf } from '../../relying-party/src/index.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { makeSamplePdf } from '../../tools/dev/sample-pdf.ts';
import { serveCard } from '../../tools/dev/virtual-card.ts';

const SIZE = 10 * 1024 * 1024;
const ROUNDS = 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export async function run(): Promise<void> {
  const stateFile = join(await mkdtemp(join(tmpdir(), 'jpki-bench-pdf-')), 'card.json');
  await saveCardState(stateFile, await createCardState());
  const pdf = makeSamplePdf({ size: SIZE });
  console.log(`PDF of ${(pdf.length / 1048576).toFixed(1)} MiB, median of ${ROUNDS} (shared machine: absolute times inflated by other load)`);
  await measure('virtual card in process', createVirtualBackend(stateFile), pdf);
  const pcscd = await ensurePcscd();
  const served = await serveCard({ stateFile });
  try {
    await measure('virtual card through pcscd + vpcd', createPcscBackend(), pdf);
  } finally {
    await served.stop();
    await pcscd.stop();
  }
}

async function measure(label: string, backend: CardBackend, pdf: Buffer): Promise<void> {
  const hash32 = createHash('sha256').update('any').digest();

  // The floor: one card session that signs one hash (VERIFY, certificate, COMPUTE DIGITAL SIGNATURE), and one SHA-256 of the file.
  const cardPart = async () => withCardSigner(backend, DEFAULT_PINS.sign, {}, (signer) => signer.sign(hash32));
  const hashPart = async () => createHash('sha256').update(pdf).digest();
  // The whole signing, as `jpki-bridge sign` does it, its three stages timed on the way.
  const stages = { prepare: [] as number[], cms: [] as number[], embed: [] as number[] };
  const whole = async () => {
    const started = performance.now();
    const prepared = preparePdf(pdf, { signingTime: new Date() });
    const afterPrepare = performance.now();
    const cms = await withCardSigner(backend, DEFAULT_PINS.sign, {}, (signer) =>
      signDetached({ contentDigest: prepared.digest, certificates: [signer.certificate], sign: signer.sign }),
    );
    const afterCms = performance.now();
    const signed = embedPdfSignature(prepared, cms);
    stages.prepare.push(afterPrepare - started);
    stages.cms.push(afterCms - afterPrepare);
    stages.embed.push(performance.now() - afterCms);
    return signed;
  };

  await cardPart();
  await whole(); // warm-up (module loading, JIT)
  for (const list of Object.values(stages)) list.length = 0;
  const card: number[] = [];
  const sha: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    card.push(await timed(cardPart));
    sha.push(await timed(hashPart));
    all.push(await timed(whole));
  }
  await backend.close();
  const floor = median(card) + median(sha);
  const ratio = median(all) / floor;
  console.log(`${label}:`);
  console.log(`  card session, one signature      ${median(card).toFixed(1)} ms`);
  console.log(`  one SHA-256 of the file          ${median(sha).toFixed(1)} ms`);
  console.log(`  whole signing (prepare, CMS, embed) ${median(all).toFixed(1)} ms`);
  console.log(
    `    of which prepare (its SHA-256 included) ${median(stages.prepare).toFixed(1)} ms, card session + CMS ${median(stages.cms).toFixed(1)} ms, embed ${median(stages.embed).toFixed(1)} ms`,
  );
  console.log(`  ratio ${ratio.toFixed(2)} × (target ≤ 1.20) ${ratio <= 1.2 ? 'met' : 'NOT MET'}`);
}
