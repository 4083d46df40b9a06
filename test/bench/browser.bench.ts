/**
 * Browser figures (printed, never pass/fail):
 * - page `authenticate` → token through Chromium, the content script, the background, the PIN
 *   dialog (PIN typed by the bench), a freshly started host, pcscd and the virtual card; median
 *   of 20, split into "call → dialog shown" and "submit → token";
 * - next to host-only `authenticate`: spawn the host, hello, status, authenticate — what the
 *   background asks of the host for one login — median of 20;
 * - the content script's size (target ≤ 4 KB minified), raw and gzipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EXTENSION_DIR } from '../../tools/dev/checkout.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { createCardState, serveCard } from '../../tools/dev/virtual-card.ts';
import { spawnHost } from '../harness/host.ts';
import { newNonce, run as call, startE2E, verifyToken } from '../e2e/extension-setup.ts';

const RUNS = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function browserPath(): Promise<number> {
  const e2e = await startE2E({ lang: 'ja' });
  try {
    const page = await e2e.open('authenticate.html');
    const total: number[] = [];
    const toDialog: number[] = [];
    const afterSubmit: number[] = [];
    const withoutTyping: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const nonce = newNonce();
      const started = performance.now();
      const pending = call(page, 'run', nonce);
      const dialog = await e2e.session.waitForDialog();
      const shown = performance.now();
      await dialog.waitForSelector('#pin:not([disabled])');
      await dialog.type('#pin', VIRTUAL_PINS.auth);
      const submitted = performance.now();
      await dialog.click('#submit');
      const out = await pending;
      const done = performance.now();
      if (!out.ok || !verifyToken(out.result, e2e.server.url, nonce)) throw new Error(`bench login failed: ${JSON.stringify(out)}`);
      if (i < 2) continue; // warm-up
      total.push(done - started);
      toDialog.push(shown - started);
      afterSubmit.push(done - submitted);
      withoutTyping.push(done - started - (submitted - shown));
    }
    console.log(
      `browser authenticate  page call → token ${ms(median(total))} (call → dialog ${ms(median(toDialog))}, submit → token ${ms(median(afterSubmit))}; typing the PIN included in the total)  median of ${RUNS}`,
    );
    return median(withoutTyping);
  } finally {
    await e2e.close();
  }
}

async function hostOnly(): Promise<number> {
  await ensurePcscd();
  const card = await serveCard({ stateFile: await createCardState(), port: 35963 });
  try {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const started = performance.now();
      const host = await spawnHost({ card: 'pcsc' });
      await host.request('status', {});
      const reply = await host.request('authenticate', { origin: 'https://bench.example', challengeNonce: newNonce(), pin: VIRTUAL_PINS.auth });
      const done = performance.now();
      host.endInput();
      await host.exited;
      if (!reply.result) throw new Error(`host authenticate failed: ${JSON.stringify(reply)}`);
      if (i >= 2) times.push(done - started);
    }
    console.log(`host-only authenticate  spawn → hello → status → authenticate ${ms(median(times))}  median of ${RUNS}`);
    return median(times);
  } finally {
    await card.stop();
  }
}

function contentScriptSize(): void {
  const bytes = readFileSync(join(EXTENSION_DIR, 'content-scripts/content.js'));
  console.log(`content script  ${bytes.length} B minified, ${gzipSync(bytes).length} B gzipped  (target ≤ 4096 B minified)`);
}

export async function run(): Promise<void> {
  contentScriptSize();
  const browser = await browserPath();
  const host = await hostOnly();
  console.log(
    `browser path without the typing ${ms(browser)} vs host-only ${ms(host)}: ${(browser / host).toFixed(2)}× (extension, dialog window and messaging add ${ms(browser - host)})`,
  );
}
