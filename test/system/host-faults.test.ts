/**
 * Faults, black-box through pcscd: the card pulled out at every APDU of authenticate and of
 * sign; pcscd stopped (and back: the same host process recovers); two hosts at one card.
 */
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ensurePcscd, restartPcscd, stopPcscd } from '../../tools/dev/pcscd.ts';
import { acquireReaders, releaseReaders } from '../../tools/dev/reader-lock.ts';
import { type HostProcess, settle, spawnHost, waitForCardInReader } from '../harness/host.ts';
import { createCardState, type ServedCard, serveCard } from '../../tools/dev/virtual-card.ts';

const ORIGIN = 'https://example.jp';
const AUTH = { origin: ORIGIN, challengeNonce: Buffer.alloc(32, 1).toString('base64'), pin: '1234' };
const SIGN = { origin: ORIGIN, hashes: [createHash('sha256').update('doc').digest('base64')], hashFunction: 'SHA-256', pin: 'ABC123' };

let pcscd: { stop(): Promise<void> };
let dir: string;
let template: string;
const cleanups: (() => Promise<void> | void)[] = [];
// The readers for the whole file: the sweeps serve a fresh card at every APDU, and each must not
// queue behind other processes' tests in between.
beforeAll(async () => {
  await acquireReaders();
  pcscd = await ensurePcscd();
  dir = await mkdtemp(join(tmpdir(), 'jpki-host-faults-'));
  template = await createCardState({ persona: 'adult', dir });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  releaseReaders();
  await pcscd?.stop();
});

let n = 0;
async function freshCard(removeAt?: number): Promise<{ card: ServedCard; stateFile: string }> {
  const stateFile = join(dir, `card-${++n}.json`);
  await copyFile(template, stateFile);
  const card = await serveCard({ stateFile, removeAt });
  cleanups.push(() => card.stop());
  return { card, stateFile };
}
async function host(): Promise<HostProcess> {
  const h = await spawnHost({ card: 'pcsc' });
  cleanups.push(() => h.kill());
  return h;
}
const retriesOf = async (stateFile: string) =>
  JSON.parse(await readFile(stateFile, 'utf8')).pins as { auth: { retriesLeft: number }; sign: { retriesLeft: number } };

/** How many APDUs a whole command sends (measured once, so the sweep covers each of them). */
async function apduCount(command: string, args: unknown): Promise<number> {
  const { card } = await freshCard();
  const h = await host();
  await settle(h);
  const before = (await card.traceCommands()).length;
  expect((await h.request(command, args)).result).toBeDefined();
  const count = (await card.traceCommands()).length - before;
  // Free the reader: the next card must be the only one served on this port.
  h.kill();
  await card.stop();
  return count;
}

/** serveCard can return a moment before PC/SC really has the card; a removeAt card must not be sent APDUs, so connect only. */
async function settleReader(): Promise<void> {
  await waitForCardInReader('Virtual PCD 00 00');
}

describe('card pulled out mid-operation', () => {
  for (const [command, args] of [
    ['authenticate', AUTH],
    ['sign', SIGN],
  ] as const) {
    it(`${command} with the card pulled at each APDU in turn is ERR_JPKI_CARD_REMOVED and loses no try`, async () => {
      const total = await apduCount(command, args);
      for (let at = 1; at <= total; at++) {
        const { card, stateFile } = await freshCard(at);
        await settleReader();
        const h = await host();
        const reply = await h.request(command, args, 30_000);
        expect(reply.error?.code, `pulled at APDU #${at} of ${total}: ${JSON.stringify(reply)}`).toBe('ERR_JPKI_CARD_REMOVED');
        // Nothing was lost: a VERIFY either never ran or ran with the right PIN (which resets the counter).
        expect(await retriesOf(stateFile), `after pulling at #${at}`).toMatchObject({ auth: { retriesLeft: 3 }, sign: { retriesLeft: 5 } });
        // The card back in, the same host process works again.
        await card.insert();
        await settle(h);
        h.kill();
        await card.stop();
      }
    });
  }

  it('a wrong PIN whose VERIFY the card is pulled at spends no try', async () => {
    const total = await apduCount('authenticate', AUTH);
    // The VERIFY with data is the 3rd from the end (VERIFY, SELECT key, SIGN).
    const { stateFile } = await freshCard(total - 2);
    await settleReader();
    const h = await host();
    expect((await h.request('authenticate', { ...AUTH, pin: '9999' })).error?.code).toBe('ERR_JPKI_CARD_REMOVED');
    expect((await retriesOf(stateFile)).auth.retriesLeft).toBe(3);
  });
});

describe('pcscd', () => {
  it('without a pcscd every command is ERR_JPKI_PCSC_UNAVAILABLE and the host keeps answering', async () => {
    // A host whose libpcsclite looks for pcscd where none listens: deterministic, and it does not
    // take pcscd away from anyone else using this machine.
    const h = await spawnHost({ card: 'pcsc', env: { ...process.env, PCSCLITE_CSOCK_NAME: join(dir, 'no-pcscd.comm') } });
    cleanups.push(() => h.kill());
    expect((await h.request('status', {}, 15_000)).error?.code).toBe('ERR_JPKI_PCSC_UNAVAILABLE');
    expect((await h.request('authenticate', AUTH, 15_000)).error?.code).toBe('ERR_JPKI_PCSC_UNAVAILABLE');
    expect((await h.request('sign', SIGN, 15_000)).error?.code).toBe('ERR_JPKI_PCSC_UNAVAILABLE');
  });

  it('pcscd stopped is ERR_JPKI_PCSC_UNAVAILABLE, and the same host recovers once it is back', async () => {
    await freshCard();
    const h = await host();
    await settle(h);
    await stopPcscd();
    let reply;
    try {
      reply = await h.request('status', {}, 15_000);
    } finally {
      await restartPcscd();
    }
    // Another test run on this machine may restart pcscd at once (ensurePcscd); then the host
    // rightly answers from the new daemon — anything but a crash, a hang or a wrong code.
    if (reply.error) expect(reply.error.code).toBe('ERR_JPKI_PCSC_UNAVAILABLE');
    await settle(h, 30_000);
  });

  it('pcscd restarted between two commands: the same host reconnects', async () => {
    await freshCard();
    const h = await host();
    await settle(h);
    await restartPcscd();
    await settle(h, 30_000); // the card's serve reconnects to the new vpcd by itself
    const reply = await h.request('authenticate', AUTH, 30_000);
    expect(reply.result, JSON.stringify(reply)).toBeDefined();
  });
});

describe('two hosts, one card', () => {
  it('two hosts signing at once never interleave their APDUs on the card', async () => {
    const { card } = await freshCard();
    const [a, b] = [await host(), await host()];
    await settle(a);
    const replies = await Promise.all([a.request('sign', SIGN), b.request('sign', SIGN)]);
    for (const reply of replies) {
      if (reply.error) expect(reply.error.code).toBe('ERR_JPKI_CARD_BUSY');
      else expect(reply.result).toHaveProperty('signatures');
    }
    expect(replies.some((r) => r.result)).toBe(true);
    // Split the trace at each SELECT of the applet: every session must be one whole, identical sign.
    const trace = await card.traceCommands();
    const sessions: string[][] = [];
    for (const apdu of trace) {
      if (apdu.startsWith('00a4040c')) sessions.push([]);
      sessions.at(-1)!.push(apdu);
    }
    const whole = sessions.filter((s) => s.some((apdu) => apdu.startsWith('802a')));
    expect(whole.length).toBe(replies.filter((r) => r.result).length);
    for (const session of whole) {
      expect(session).toEqual(whole[0]);
      expect(session.filter((apdu) => apdu.startsWith('00200080') && apdu.length > 8)).toHaveLength(1);
      expect(session.at(-1)!.startsWith('802a')).toBe(true);
    }
  });
});
