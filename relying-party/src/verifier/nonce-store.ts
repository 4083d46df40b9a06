/**
 * Challenge nonces: issued by the verifier, 32 random bytes in base64 (44 characters), single
 * use, 5-minute life. The store is an interface so that a site with several
 * servers can share it (redis-nonce-store.ts); the default lives in memory.
 */
import { randomBytes } from 'node:crypto';

export type ConsumeResult = 'ok' | 'unknown' | 'reused' | 'expired';

export interface NonceStore {
  /** A fresh nonce, remembered until it is consumed or forgotten. */
  issue(): Promise<string>;
  /** Marks the nonce used, atomically: of two concurrent consumers exactly one gets 'ok'. */
  consume(nonce: string): Promise<ConsumeResult>;
  /** In-process stores may offer this too; the verifier then saves a promise round trip per token. */
  consumeSync?(nonce: string): ConsumeResult;
}

export const NONCE_BYTES = 32;
export const NONCE_LIFETIME_MS = 5 * 60_000;
/**
 * How long a nonce is remembered after its lifetime, so that a late answer is reported as
 * 'expired' rather than 'unknown' (the Redis store also answers a replay 'reused' within it).
 * All are rejections; the distinction is for logs.
 */
export const NONCE_RETENTION_MS = NONCE_LIFETIME_MS;

export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64');
}

export interface MemoryNonceStoreOptions {
  lifetimeMs?: number;
  /** Injectable clock (ms since the epoch), for tests. */
  now?: () => number;
  /**
   * The most outstanding nonces held; past it the oldest is forgotten (its login then fails
   * NONCE_UNKNOWN and is retried). Default 100 000, about 15 MB. A flood can only push out
   * nonces, never lock anyone out; rate-limit issueNonce per client (docs/verifier.md).
   */
  maxEntries?: number;
}

export const MEMORY_NONCE_STORE_MAX_ENTRIES = 100_000;

/**
 * One process's store: nonce → issue time, in issue order (a Map iterates in insertion order), so
 * the oldest entry is always the first. A nonce is deleted the moment it is consumed, so a replay
 * answers 'unknown' here (the Redis store, which keeps a marker, answers 'reused'); both refuse.
 */
export class MemoryNonceStore implements NonceStore {
  private readonly issuedAt = new Map<string, number>();
  private readonly lifetimeMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: MemoryNonceStoreOptions = {}) {
    this.lifetimeMs = options.lifetimeMs ?? NONCE_LIFETIME_MS;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? MEMORY_NONCE_STORE_MAX_ENTRIES;
    if (!(this.maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
  }

  /** How many nonces are held (issued, not yet consumed or forgotten). */
  get size(): number {
    return this.issuedAt.size;
  }

  async issue(): Promise<string> {
    this.sweep();
    while (this.issuedAt.size >= this.maxEntries) this.issuedAt.delete(this.issuedAt.keys().next().value!);
    const nonce = newNonce();
    this.issuedAt.set(nonce, this.now());
    return nonce;
  }

  async consume(nonce: string): Promise<ConsumeResult> {
    return this.consumeSync(nonce);
  }

  consumeSync(nonce: string): ConsumeResult {
    const issuedAt = this.issuedAt.get(nonce);
    if (issuedAt === undefined) return 'unknown';
    this.issuedAt.delete(nonce); // synchronous between the read and the delete: atomic in one process
    const age = this.now() - issuedAt;
    if (age > this.lifetimeMs + NONCE_RETENTION_MS) return 'unknown';
    return age > this.lifetimeMs ? 'expired' : 'ok';
  }

  /** Forgets nonces past lifetime + retention, from the oldest; stops at the first younger one. */
  private sweep(): void {
    const horizon = this.now() - this.lifetimeMs - NONCE_RETENTION_MS;
    for (const [nonce, issuedAt] of this.issuedAt) {
      if (issuedAt >= horizon) break;
      this.issuedAt.delete(nonce);
    }
  }
}
