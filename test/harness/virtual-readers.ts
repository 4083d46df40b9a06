/**
 * A system test file's set-up for talking to served virtual cards through the real PC/SC stack:
 * the two vpcd readers held for the whole file (other processes' tests wait), so that its cards
 * are served back to back instead of queueing behind other files between tests; a running pcscd;
 * one PC/SC client; and every card a test serves pulled after that test.
 *
 *   const readers = holdVirtualReaders();          // at the top of the file: registers the hooks
 *   const { card, served } = await readers.serve({ stateFile });
 *   await card.transmit('00a4…');  readers.client.isCardPresent(served.readerName);
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PcscClient, type CardConnection } from '../../tools/dev/pcsc-client.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { acquireReaders, releaseReaders } from '../../tools/dev/reader-lock.ts';
import { serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';

export interface VirtualReaders {
  /** The file's PC/SC client (made in beforeAll; a new one after renewClient()). */
  readonly client: PcscClient;
  /** Serves a card for the current test (stopped after it) and connects to it through `client`. */
  serve(options: Parameters<typeof serveCard>[0]): Promise<{ card: CardConnection; served: ServedCard }>;
  /** A new client for the tests that follow: the old one's context died with a restarted pcscd. */
  renewClient(): Promise<void>;
}

/** Registers the file's beforeAll/afterEach/afterAll hooks; call it once, at the top of a test file. */
export function holdVirtualReaders(): VirtualReaders {
  let pcscd: Awaited<ReturnType<typeof ensurePcscd>> | undefined;
  let client: PcscClient | undefined;
  const servedInThisTest: ServedCard[] = [];

  beforeAll(async () => {
    await acquireReaders();
    pcscd = await ensurePcscd();
    client = PcscClient.open();
  }, 900_000);
  afterEach(async () => {
    for (const served of servedInThisTest.splice(0)) await served.stop();
  });
  afterAll(async () => {
    await client?.close();
    releaseReaders();
    await pcscd?.stop();
  });

  const readers: VirtualReaders = {
    get client() {
      if (!client) throw new Error('holdVirtualReaders: the client is made in beforeAll; use it inside a test');
      return client;
    },
    serve: async (options) => {
      const served = await serveCard(options);
      servedInThisTest.push(served);
      return { card: await readers.client.connect(served.readerName), served };
    },
    renewClient: async () => {
      await client?.close();
      client = PcscClient.open();
    },
  };
  return readers;
}
