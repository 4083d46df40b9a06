/**
 * How this host takes its turn at a reader that other programs use too (a second host, OpenSC,
 * a PC/SC monitor). What pcscd (pcsc-lite 1.9) offers decides the scheme:
 * - No queue. A connect that finds the card taken fails at once with SCARD_E_SHARING_VIOLATION;
 *   a connect that finds another program's *transaction* open waits inside pcscd, polling every
 *   100 ms, with no bound and no way to cancel it. SCardBeginTransaction is a poll loop too
 *   (about every 200 ms, unbounded), and `pcsclite` does not expose it anyway.
 * So waiting one's turn is up to us, and being fair is up to every client:
 * - a busy card is tried again after a short random pause (RETRY_MIN_MS…RETRY_MAX_MS), so a
 *   neighbour's gap of a few tens of milliseconds is found, and two waiters do not move in step;
 * - a connect that is still blocked at the deadline is abandoned, never awaited (it is cleaned up
 *   when pcscd finally answers), so the wait stays bounded even behind a long transaction;
 * - a survey (`status`, what neighbours poll) is polite: it starts no sooner than COURTESY_MS after
 *   this host last let the card go, so back-to-back statuses leave a gap for anyone waiting;
 * - any other operation leaves a shorter gap (HANDOVER_MS), and only while the card is contended
 *   (we found it busy within CONTENDED_MS): then back-to-back logins let a waiting neighbour have
 *   its turn too, and an uncontended card costs nothing.
 * The holder of a busy card is described from what PC/SC tells: its reader state (an exclusive
 * connection, or the card merely open) and whether our connect got stuck (a transaction). PC/SC
 * never says which program it is.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { LEAVE_CARD, type NativeCardReader } from './pcsc-binding.ts';
import type { PcscContext } from './pcsc-context.ts';
import { connectOutcome } from './pcsc-errors.ts';
import { connect, disconnect, readerState, STATE_EXCLUSIVE, STATE_INUSE } from './pcsc-reader.ts';

export const RETRY_MIN_MS = 5;
export const RETRY_MAX_MS = 20;
/** Both longer than RETRY_MAX_MS plus a connect, so whoever waits for the card finds it free. */
export const COURTESY_MS = 150;
export const HANDOVER_MS = 40;
/** How long after we last found the card busy it counts as contended. */
export const CONTENDED_MS = 10_000;
/** A last attempt made at (or past) the deadline still gets this long to be answered. */
const LAST_ATTEMPT_MS = 250;

/** Where CardReader objects come from: a PcscContext generation. */
export type ReaderSource = Pick<PcscContext, 'reader' | 'retire'>;

export type Attempt =
  | { outcome: 'connected'; reader: NativeCardReader; protocol: number }
  | { outcome: 'no-card' }
  /** `stuck`: our connect was still waiting inside pcscd at the deadline. */
  | { outcome: 'busy'; stuck: boolean };

export class ReaderSharing {
  private lastRelease = 0;
  private lastBusy = -Infinity;
  /** Per reader: a connect we stopped waiting for, while pcscd has not answered it yet. */
  private readonly abandoned = new Map<string, Abandoned>();

  /** A random pause before trying a busy card again. */
  retryDelay(): number {
    return RETRY_MIN_MS + Math.random() * (RETRY_MAX_MS - RETRY_MIN_MS);
  }

  /** Before taking the card: leaves the gap due since this host last released one (see above). */
  async turn(survey: boolean): Promise<void> {
    const gap = survey ? COURTESY_MS : Date.now() - this.lastBusy < CONTENDED_MS ? HANDOVER_MS : 0;
    const wait = this.lastRelease + gap - Date.now();
    if (wait > 0) await sleep(wait);
  }

  released(): void {
    this.lastRelease = Date.now();
  }

  /**
   * One exclusive connect to `name`, answered by `deadline` at the latest (a deadline already
   * past still gets LAST_ATTEMPT_MS). Raw pcsclite errors other than "no card" and "busy" escape
   * for the caller to map.
   */
  async attempt(context: ReaderSource, name: string, deadline: number): Promise<Attempt> {
    const by = Math.max(deadline, Date.now() + LAST_ATTEMPT_MS);
    // A connect of ours still held back in pcscd: wait for it rather than queue a second one
    // behind it, and if pcscd grants it meanwhile, it is this attempt's.
    const earlier = this.abandoned.get(name);
    if (earlier) {
      earlier.waiting = true;
      const answer = await settlesBy(earlier.connecting, by);
      earlier.waiting = false;
      if (!answer.settled) return this.busy(true);
      this.forget(name, earlier);
      if ('value' in answer) {
        earlier.claimed = true;
        return { outcome: 'connected', reader: earlier.reader, protocol: answer.value };
      }
    }

    const reader = context.reader(name);
    const connecting = connect(reader);
    const answer = await settlesBy(connecting, by);
    if (!answer.settled) {
      this.abandon(context, name, reader, connecting);
      return this.busy(true);
    }
    if ('error' in answer) {
      const outcome = connectOutcome(answer.error);
      if (outcome === 'no-card') return { outcome: 'no-card' };
      if (outcome === 'busy') return this.busy(false);
      throw answer.error;
    }
    return { outcome: 'connected', reader, protocol: answer.value };
  }

  private busy(stuck: boolean): Attempt {
    this.lastBusy = Date.now();
    return { outcome: 'busy', stuck };
  }

  /**
   * The CardReader of a blocked connect is busy inside the addon until pcscd answers; a new
   * connect gets a fresh one. A grant that comes while no attempt waits for it is let go at once
   * (nothing was sent): the check runs after the waiting attempt, if any, has taken it.
   */
  private abandon(context: ReaderSource, name: string, reader: NativeCardReader, connecting: Promise<number>): void {
    context.retire(reader);
    const entry: Abandoned = { reader, connecting, waiting: false, claimed: false };
    this.abandoned.set(name, entry);
    const unclaimed = () => !entry.waiting && !entry.claimed;
    connecting.then(
      () =>
        setImmediate(() => {
          if (!unclaimed()) return;
          this.forget(name, entry);
          void disconnect(reader, LEAVE_CARD);
        }),
      () => {
        if (unclaimed()) this.forget(name, entry);
      },
    );
  }

  private forget(name: string, entry: Abandoned): void {
    if (this.abandoned.get(name) === entry) this.abandoned.delete(name);
  }
}

interface Abandoned {
  reader: NativeCardReader;
  connecting: Promise<number>;
  /** An attempt is waiting for this connect right now. */
  waiting: boolean;
  /** An attempt took the card this connect was granted. */
  claimed: boolean;
}

/** ERR_JPKI_CARD_BUSY saying who holds the card, as far as PC/SC can tell, and how long we waited. */
export async function cardBusyError(busy: { name: string; stuck: boolean }[], waitedMs: number): Promise<JpkiError> {
  const parts: string[] = [];
  for (const { name, stuck } of busy) parts.push(describeHolder(name, stuck, await readerState(name)));
  const waited = `${(waitedMs / 1000).toFixed(1)} s`;
  return new JpkiError(
    'ERR_JPKI_CARD_BUSY',
    `他のプログラムがカードを使用中です（${waited} 待ちました） / ${parts.join('; ')}; waited ${waited} (PC/SC does not tell which program)`,
  );
}

/** What the reader state and our own connect tell about the holder of the card in `name`. */
export function describeHolder(name: string, stuck: boolean, state: number | null): string {
  if (state !== null && (state & STATE_EXCLUSIVE) !== 0) return `another program holds the card in "${name}" exclusively`;
  // Only an open transaction makes pcscd hold a connect back (an exclusive holder is refused at once).
  if (stuck) return `another program keeps a PC/SC transaction open on the card in "${name}"`;
  if (state !== null && (state & STATE_INUSE) !== 0) return `another program has the card in "${name}" open`;
  return `another program was using the card in "${name}"`;
}

type Settled<T> = { settled: true; value: T } | { settled: true; error: unknown } | { settled: false };

/** How `promise` ended, if it did by `deadline` (epoch ms). */
async function settlesBy<T>(promise: Promise<T>, deadline: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Settled<T> => ({ settled: true, value }),
        (error: unknown): Settled<T> => ({ settled: true, error }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
