/**
 * Issue 19 finding 9: `--card pcsc:READER` — what the testing kit and the demo pass — makes the
 * host use that PC/SC reader only. Here the "developer's real card" sits in the other vpcd reader
 * and the named reader is empty: the host sees no card, sends no PIN anywhere, and the other card
 * keeps all its tries. (The kit and the demo pass the name of the reader they served into:
 * packages/testing/src/index.ts, relying-party/demo/launch.ts.)
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostProcess, settle, spawnHost } from '../harness/host.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { READER_NAMES } from '../../native-host/src/virtual-card/serve.ts';

const AUTH = { origin: 'https://example.jp', challengeNonce: Buffer.alloc(32, 7).toString('base64'), pin: VIRTUAL_PINS.auth };

let pcscd: Awaited<ReturnType<typeof ensurePcscd>>;
let realCard: ServedCard;
const hosts: HostProcess[] = [];

beforeAll(async () => {
  pcscd = await ensurePcscd();
  const work = await mkdtemp(join(tmpdir(), 'jpki-named-reader-'));
  realCard = await serveCard({ stateFile: await createCardState({ dir: work }), port: 35964 });
}, 900_000);
afterAll(async () => {
  for (const host of hosts) host.kill();
  await realCard?.stop();
  await pcscd?.stop();
});

/** A host; `settle`: wait until it sees a card (only where there is one to see). */
async function host(card: string, settled = false): Promise<HostProcess> {
  const h = await spawnHost({ card });
  hosts.push(h);
  if (settled) await settle(h);
  return h;
}

describe('--card pcsc:READER', () => {
  it('lists and uses the named reader only: no card there, no PIN sent to the card in the other reader', async () => {
    expect(realCard.readerName).toBe(READER_NAMES[35964]);
    const named = await host(`pcsc:${READER_NAMES[35963]}`);
    const status = (await named.request('status', {})).result as { readers: { name: string }[]; card: unknown };
    expect(status.readers.map((reader) => reader.name)).toEqual([READER_NAMES[35963]]);
    expect(status.card).toBeNull();
    expect((await named.request('authenticate', AUTH)).error).toMatchObject({ code: 'ERR_JPKI_NO_CARD' });

    // Every reader: the other card is there, with all its tries.
    const any = await host('pcsc', true);
    const all = (await any.request('status', {})).result as { card: unknown };
    expect(all.card).toMatchObject({ retries: { auth: 3, sign: 5 } });
  });

  it('answers NO_READER for a name no reader has', async () => {
    const missing = await host('pcsc:No Such Reader 00 00');
    expect((await missing.request('authenticate', AUTH)).error).toMatchObject({ code: 'ERR_JPKI_NO_READER' });
  });
});
