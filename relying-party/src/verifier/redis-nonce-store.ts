/**
 * The nonce store for a site with several servers: Redis. A nonce is one key, `<prefix><nonce>`,
 * whose value is the issue time (ms, from the verifier's clock):
 *   issue    SET key issuedAt PX (lifetime + retention) NX
 *   consume  one Lua script, atomic on the server: missing → unknown; "used" → reused; otherwise
 *            SET key "used" KEEPTTL and hand back the issue time, which the caller compares with
 *            its clock (expired or ok).
 * The key outlives the nonce's lifetime by the retention window so that a replay is reported as
 * reused/expired rather than unknown. The client is reached through `sendCommand` only, so any
 * client with that shape (node-redis 4–6, or an adapter for ioredis' `call`) works.
 */
import { NONCE_LIFETIME_MS, NONCE_RETENTION_MS, newNonce, type ConsumeResult, type NonceStore } from './nonce-store.ts';

export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisNonceStoreOptions {
  keyPrefix?: string;
  lifetimeMs?: number;
  now?: () => number;
}

const CONSUME = `
local value = redis.call('GET', KEYS[1])
if not value then return 'unknown' end
if value == 'used' then return 'reused' end
redis.call('SET', KEYS[1], 'used', 'KEEPTTL')
return value
`;

export class RedisNonceStore implements NonceStore {
  private readonly prefix: string;
  private readonly lifetimeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: RedisCommandClient,
    options: RedisNonceStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'jpki-bridge:nonce:';
    this.lifetimeMs = options.lifetimeMs ?? NONCE_LIFETIME_MS;
    this.now = options.now ?? Date.now;
  }

  async issue(): Promise<string> {
    // A 256-bit collision (null) is drawn again; anything else that is not OK is an error, never a loop.
    for (let attempt = 0; attempt < 3; attempt++) {
      const nonce = newNonce();
      const ttl = String(this.lifetimeMs + NONCE_RETENTION_MS);
      const reply = await this.client.sendCommand(['SET', this.prefix + nonce, String(this.now()), 'PX', ttl, 'NX']);
      if (asText(reply) === 'OK') return nonce;
    }
    throw new Error('RedisNonceStore: SET … NX did not answer OK');
  }

  async consume(nonce: string): Promise<ConsumeResult> {
    if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 1024) return 'unknown';
    const reply = await this.client.sendCommand(['EVAL', CONSUME, '1', this.prefix + nonce]);
    const text = asText(reply);
    if (text === 'unknown' || text === 'reused') return text;
    const issuedAt = Number(text);
    if (!Number.isFinite(issuedAt)) return 'unknown';
    return this.now() - issuedAt > this.lifetimeMs ? 'expired' : 'ok';
  }
}

/** node-redis answers strings, or Buffers when asked to; ioredis adapters may do either. */
function asText(reply: unknown): string {
  return typeof reply === 'string' ? reply : Buffer.isBuffer(reply) ? reply.toString() : String(reply);
}
