/**
 * Challenge nonces (DESIGN §6): issued by the verifier, ≥ 32 random bytes in base64 (44
 * characters), single use, 5-minute life. The store is an interface so that a site with several
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
 * How long a used or expired nonce is remembered after its lifetime, so that a replay is reported
 * as 'reused'/'expired' rather than 'unknown'. Both are rejections; the distinction is for logs.
 */
export const NONCE_RETENTION_MS = NONCE_LIFETIME_MS;

export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64');
}

export interface MemoryNonceStoreOptions {
  lifetimeMs?: number;
  /** Injectable clock (ms since the epoch), for tests. */
  now?: () => number;
  /** Refuse to hold more than this many live nonces (a cheap guard against a flood of issue()). */
  maxEntries?: number;
}

/** One process's store. Entries: issuedAt, or 'used'. */
export class MemoryNonceStore implements NonceStore {
  private readonly entries = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly lifetimeMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: MemoryNonceStoreOptions = {}) {
    this.lifetimeMs = options.lifetimeMs ?? NONCE_LIFETIME_MS;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 1_000_000;
  }

  async issue(): Promise<string> {
    this.sweep();
    if (this.entries.size >= this.maxEntries) throw new Error('nonce store is full');
    const nonce = newNonce();
    this.entries.set(nonce, { issuedAt: this.now(), used: false });
    return nonce;
  }

  async consume(nonce: string): Promise<ConsumeResult> {
    return this.consumeSync(nonce);
  }

  consumeSync(nonce: string): ConsumeResult {
    const entry = this.entries.get(nonce);
    if (!entry || this.now() - entry.issuedAt > this.lifetimeMs + NONCE_RETENTION_MS) return 'unknown';
    if (entry.used) return 'reused';
    entry.used = true; // synchronous between the read and the write: atomic in one process
    return this.now() - entry.issuedAt > this.lifetimeMs ? 'expired' : 'ok';
  }

  /** Map iteration is insertion order, which is issue order: stop at the first young entry. */
  private sweep(): void {
    const horizon = this.now() - this.lifetimeMs - NONCE_RETENTION_MS;
    for (const [nonce, entry] of this.entries) {
      if (entry.issuedAt >= horizon) break;
      this.entries.delete(nonce);
    }
  }
}
