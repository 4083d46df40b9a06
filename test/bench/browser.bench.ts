/**
 * Browser figures (printed beside their targets, never pass/fail):
 * - page `authenticate` through Chromium, the content script, the background, the PIN dialog (PIN
 *   typed by the bench), a freshly started host, pcscd and the virtual card; median of 20, split
 *   into "call → dialog visible" (target ≤ 250 ms: the window opens while the host starts) and
 *   "submit → token" (PIN submitted once the card's status is in the dialog);
 * - next to the host's own `authenticate`: one request on a started host after its `status`,
 *   what the background asks of the host once the PIN is in — median of 20 (target: submit → token
 *   ≤ 1.1× of it);
 * - the content script's size (target ≤ 4 KB minified), raw and gzipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'puppeteer-core';
import { EXTENSION_DIR } from '../../tools/dev/checkout.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { waitForDialog } from '../../tools/dev/pin-dialog.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { createCardState, serveCard } from '../../tools/dev/virtual-card.ts';
import { spawnHost } from '../harness/host.ts';
import { FIXTURES, newNonce, run as call, startE2E, verifyToken } from '../e2e/extension-setup.ts';
import { DIALOG_LIMIT } from '../../extension/src/background/dialog-rate-limit.ts';

const RUNS = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const DIALOG_TARGET_MS = 250;
const SUBMIT_TARGET_RATIO = 1.1;
const LOGINS_PER_ORIGIN = DIALOG_LIMIT.max - 1;

/** Medians of "call → dialog visible" and "submit → token". */
async function browserPath(): Promise<{ toDialog: number; afterSubmit: number }> {
  const e2e = await startE2E({ lang: 'ja' });
  // The background allows DIALOG_LIMIT dialogs per origin and minute: a new origin (another
  // page server, another port) every few logins keeps the bench under it.
  const servers: StaticServer[] = [];
  try {
    let current: Page | undefined;
    let origin = '';
    const pageFor = async (i: number): Promise<Page> => {
      if (current && i % LOGINS_PER_ORIGIN !== 0) return current;
      await current?.close();
      const server = await serveStatic({ root: FIXTURES });
      servers.push(server);
      origin = server.url;
      return (current = await e2e.session.openPage(`${server.url}/authenticate.html`));
    };
    const total: number[] = [];
    const toDialog: number[] = [];
    const afterSubmit: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const page = await pageFor(i);
      const nonce = newNonce();
      const started = performance.now();
      const pending = call(page, 'run', nonce);
      // Visible: the window has rendered its first state (the card may still be being checked).
      const dialog = await waitForDialog(e2e.session.browser, { operation: pending, checked: false });
      const shown = performance.now();
      await dialog.waitForSelector('main:not([data-phase=checking]) #pin:not([disabled])').catch(async (error: Error) => {
        const said = await dialog.$eval('main', (m) => `${m.getAttribute('data-phase')}: ${m.querySelector('[data-testid=error]')?.textContent}`);
        throw new Error(`the dialog did not become ready for a PIN (${said})`, { cause: error });
      });
      await dialog.type('#pin', VIRTUAL_PINS.auth);
      const submitted = performance.now();
      await dialog.click('#submit');
      const out = await pending;
      const done = performance.now();
      if (!out.ok || !verifyToken(out.result, origin, nonce)) throw new Error(`bench login failed: ${JSON.stringify(out)}`);
      if (i < 2) continue; // warm-up
      total.push(done - started);
      toDialog.push(shown - started);
      afterSubmit.push(done - submitted);
    }
    console.log(
      `browser authenticate  page call → dialog visible ${ms(median(toDialog))} (target ≤ ${DIALOG_TARGET_MS} ms), submit → token ${ms(median(afterSubmit))}, page call → token ${ms(median(total))} (typing the PIN included)  median of ${RUNS}`,
    );
    return { toDialog: median(toDialog), afterSubmit: median(afterSubmit) };
  } finally {
    await e2e.close();
    await Promise.all(servers.map((server) => server.close()));
  }
}

/** Median of the host's own `authenticate` on a started host (after its hello and status). */
async function hostOnly(): Promise<number> {
  await ensurePcscd();
  const card = await serveCard({ stateFile: await createCardState(), port: 35963 });
  try {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const host = await spawnHost({ card: 'pcsc' });
      await host.request('status', {});
      const started = performance.now();
      const reply = await host.request('authenticate', { origin: 'https://bench.example', challengeNonce: newNonce(), pin: VIRTUAL_PINS.auth });
      const done = performance.now();
      host.endInput();
      await host.exited;
      if (!reply.result) throw new Error(`host authenticate failed: ${JSON.stringify(reply)}`);
      if (i >= 2) times.push(done - started);
    }
    console.log(`host-only authenticate  one request after hello and status ${ms(median(times))}  median of ${RUNS}`);
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
    `submit → token ${ms(browser.afterSubmit)} vs the host's own authenticate ${ms(host)}: ${(browser.afterSubmit / host).toFixed(2)}× (target ≤ ${SUBMIT_TARGET_RATIO}×; dialog, background and messaging add ${ms(browser.afterSubmit - host)})`,
  );
}
