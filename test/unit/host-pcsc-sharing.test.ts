import { describe, expect, it } from 'vitest';
import type { NativeCardReader } from '../../native-host/src/card/pcsc-binding.ts';
import { STATE_EXCLUSIVE, STATE_INUSE } from '../../native-host/src/card/pcsc-reader.ts';
import { CONTENDED_MS, COURTESY_MS, describeHolder, HANDOVER_MS, ReaderSharing, RETRY_MAX_MS, RETRY_MIN_MS } from '../../native-host/src/card/pcsc-sharing.ts';

const SHARING_VIOLATION = new Error('SCardConnect error: Sharing violation.(0x8010000b)');
const NO_SMARTCARD = new Error('SCardConnect error: No smart card inserted.(0x8010000c)');
const PRESENT = 0x0020;

/** A CardReader whose connect answers as `answer` says: an error, a protocol, or never (null) until `answerNow`. */
class FakeReader {
  connected = false;
  connects = 0;
  dispositions: number[] = [];
  private pending: ((error: Error | null, protocol: number) => void) | null = null;
  constructor(
    readonly name: string,
    private readonly answer: Error | number | null,
  ) {}
  _connect(_share: number, _protocols: number, callback: (error: Error | null, protocol: number) => void) {
    this.connects++;
    if (this.answer === null) this.pending = callback;
    else if (this.answer instanceof Error) setImmediate(() => callback(this.answer as Error, 0));
    else setImmediate(() => ((this.connected = true), callback(null, this.answer as number)));
  }
  /** pcscd finally answers the blocked connect: the card is ours. */
  answerNow() {
    this.connected = true;
    this.pending?.(null, 2);
  }
  _disconnect(disposition: number, callback: (error: Error | null) => void) {
    this.dispositions.push(disposition);
    this.connected = false;
    setImmediate(() => callback(null));
  }
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function source(make: () => FakeReader) {
  const made: FakeReader[] = [];
  let current: FakeReader | null = null;
  return {
    made,
    reader: () => (current ??= (made.push(make()), made.at(-1)!)) as unknown as NativeCardReader,
    retire: (reader: NativeCardReader) => {
      if ((reader as unknown) === current) current = null;
    },
  };
}

describe('pcsc-sharing: taking a turn at a shared reader', () => {
  it('the pause between tries is random within its bounds, so two waiters do not move in step', () => {
    const sharing = new ReaderSharing();
    const delays = Array.from({ length: 200 }, () => sharing.retryDelay());
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(RETRY_MIN_MS);
      expect(delay).toBeLessThanOrEqual(RETRY_MAX_MS);
    }
    expect(new Set(delays.map((d) => Math.round(d))).size).toBeGreaterThan(5);
    // The gaps this host leaves are longer than any pause a waiter takes between tries.
    expect(HANDOVER_MS).toBeGreaterThan(RETRY_MAX_MS * 1.5);
    expect(COURTESY_MS).toBeGreaterThan(HANDOVER_MS);
  });

  it('a survey right after a release waits the courtesy gap, but not once it has passed', async () => {
    const sharing = new ReaderSharing();
    expect(await timed(() => sharing.turn(true))).toBeLessThan(COURTESY_MS / 2); // nothing released yet
    sharing.released();
    expect(await timed(() => sharing.turn(true))).toBeGreaterThanOrEqual(COURTESY_MS - 5);
    expect(await timed(() => sharing.turn(true))).toBeLessThan(COURTESY_MS / 2); // the gap has passed
  });

  it('a login right after a release leaves a hand-over gap only while the card is contended', async () => {
    const sharing = new ReaderSharing();
    sharing.released();
    expect(await timed(() => sharing.turn(false))).toBeLessThan(HANDOVER_MS / 2); // uncontended: no gap at all
    // Someone else held the card a moment ago: back-to-back operations now hand it over.
    await sharing.attempt(
      source(() => new FakeReader('r', SHARING_VIOLATION)),
      'r',
      Date.now() + 100,
    );
    sharing.released();
    expect(await timed(() => sharing.turn(false))).toBeGreaterThanOrEqual(HANDOVER_MS - 5);
    expect(HANDOVER_MS).toBeLessThan(COURTESY_MS);
    expect(CONTENDED_MS).toBeGreaterThan(1000);
  });

  it('an attempt tells connected, busy and no card apart, and lets other failures through', async () => {
    const sharing = new ReaderSharing();
    const deadline = Date.now() + 1000;
    expect(
      await sharing.attempt(
        source(() => new FakeReader('r', 2)),
        'r',
        deadline,
      ),
    ).toMatchObject({ outcome: 'connected', protocol: 2 });
    expect(
      await sharing.attempt(
        source(() => new FakeReader('r', SHARING_VIOLATION)),
        'r',
        deadline,
      ),
    ).toEqual({ outcome: 'busy', stuck: false });
    expect(
      await sharing.attempt(
        source(() => new FakeReader('r', NO_SMARTCARD)),
        'r',
        deadline,
      ),
    ).toEqual({ outcome: 'no-card' });
    await expect(
      sharing.attempt(
        source(() => new FakeReader('r', new Error('SCardConnect error: Service not available.(0x8010001d)'))),
        'r',
        deadline,
      ),
    ).rejects.toThrow(/0x8010001d/);
  });

  it('a connect still blocked at the deadline is not awaited, no second one queues behind it, and a late grant nobody waits for is let go', async () => {
    const sharing = new ReaderSharing();
    const readers = source(() => new FakeReader('r', null));
    const started = Date.now();
    // A deadline already past still gives the attempt a short while (LAST_ATTEMPT_MS), no more.
    expect(await sharing.attempt(readers, 'r', started)).toEqual({ outcome: 'busy', stuck: true });
    expect(Date.now() - started).toBeLessThan(1000);
    // While pcscd holds that connect back, no second one is queued behind it.
    expect(await sharing.attempt(readers, 'r', Date.now() + 50)).toEqual({ outcome: 'busy', stuck: true });
    expect(readers.made).toHaveLength(1);
    expect(readers.made[0]!.connects).toBe(1);
    // pcscd answers at last: the card is let go untouched (LEAVE), and the next attempt uses a fresh reader.
    readers.made[0]!.answerNow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readers.made[0]!.dispositions).toEqual([0]);
    await sharing.attempt(readers, 'r', Date.now() + 50);
    expect(readers.made).toHaveLength(2);
  });

  it('a blocked connect granted while the next attempt waits for it is handed to that attempt', async () => {
    const sharing = new ReaderSharing();
    const readers = source(() => new FakeReader('r', null));
    expect(await sharing.attempt(readers, 'r', Date.now())).toEqual({ outcome: 'busy', stuck: true });
    const waiting = sharing.attempt(readers, 'r', Date.now() + 2000);
    setTimeout(() => readers.made[0]!.answerNow(), 50);
    expect(await waiting).toMatchObject({ outcome: 'connected', protocol: 2 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(readers.made[0]!.dispositions).toEqual([]); // kept: it is the card this attempt now holds
    expect(readers.made).toHaveLength(1);
  });

  it.each([
    [STATE_EXCLUSIVE | PRESENT, false, 'another program holds the card in "R" exclusively'],
    [STATE_EXCLUSIVE | PRESENT, true, 'another program holds the card in "R" exclusively'],
    [STATE_INUSE | PRESENT, true, 'another program keeps a PC/SC transaction open on the card in "R"'],
    [null, true, 'another program keeps a PC/SC transaction open on the card in "R"'],
    [STATE_INUSE | PRESENT, false, 'another program has the card in "R" open'],
    [PRESENT, false, 'another program was using the card in "R"'],
    [null, false, 'another program was using the card in "R"'],
  ])('the holder is described by what PC/SC tells (state %s, stuck %s)', (state, stuck, text) => {
    expect(describeHolder('R', stuck, state)).toBe(text);
  });
});
