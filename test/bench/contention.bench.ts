/**
 * Sharing figures (printed, never pass/fail): "logins with a polling neighbour" — 100
 * `authenticate`s through one host, through pcscd → vpcd → the virtual card, while a second host
 * process asks `status` over and over (two browsers, or the popup left open). Target: 0 of 100
 * end in ERR_JPKI_CARD_BUSY. Also printed: the logins' median and slowest time, and how the
 * neighbour fared (its status is the polite one that leaves gaps).
 */
import { type HostReply, settle, spawnHost } from '../harness/host.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { createCardState, serveCard } from '../../tools/dev/virtual-card.ts';

const LOGINS = 100;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function loginsWithAPollingNeighbour(): Promise<void> {
  const pcscd = await ensurePcscd();
  const card = await serveCard({ stateFile: await createCardState({ persona: 'adult' }) });
  const ours = await spawnHost({ card: 'pcsc' });
  const neighbour = await spawnHost({ card: 'pcsc' });
  let polling = true;
  const statuses: HostReply[] = [];
  try {
    await settle(ours);
    await settle(neighbour);
    // Never rejects: a neighbour killed by the finally below must not take the card's clean-up with it.
    const poller = (async () => {
      while (polling) {
        const reply = await neighbour.request('status', {}, 60_000).catch(() => null);
        if (!reply) return;
        statuses.push(reply);
      }
    })();
    const args = { origin: 'https://bench.example', challengeNonce: Buffer.alloc(32, 9).toString('base64'), pin: VIRTUAL_PINS.auth };
    const times: number[] = [];
    const errors = new Map<string, number>();
    for (let i = 0; i < LOGINS; i++) {
      const started = performance.now();
      const reply = await ours.request('authenticate', args, 60_000);
      times.push(performance.now() - started);
      if (reply.error) errors.set(reply.error.code, (errors.get(reply.error.code) ?? 0) + 1);
    }
    polling = false;
    await poller;
    times.sort((a, b) => a - b);
    const busy = errors.get('ERR_JPKI_CARD_BUSY') ?? 0;
    const others = [...errors].filter(([code]) => code !== 'ERR_JPKI_CARD_BUSY').map(([code, n]) => `${code} ×${n}`);
    const neighbourBusy = statuses.filter((r) => r.error?.code === 'ERR_JPKI_CARD_BUSY').length;
    console.log(
      `logins with a polling neighbour  CARD_BUSY count ${busy} of ${LOGINS} (target 0 of ${LOGINS})` +
        `${others.length ? `  other errors: ${others.join(', ')}` : ''}` +
        `  login median ${ms(times[times.length >> 1]!)}  slowest ${ms(times.at(-1)!)}` +
        `  neighbour: ${statuses.length} statuses, ${neighbourBusy} CARD_BUSY`,
    );
  } finally {
    polling = false;
    ours.kill();
    neighbour.kill();
    await card.stop();
    await pcscd.stop();
  }
}

export async function run(): Promise<void> {
  try {
    await loginsWithAPollingNeighbour();
  } catch (error) {
    console.log(`logins with a polling neighbour: not measured (${(error as Error).message})`);
  }
}
