/**
 * The multi-server nonce store against a real redis-server, started here on a free loopback port
 * with persistence off, and stopped afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { RedisNonceStore, type RedisCommandClient } from '../../relying-party/src/index.ts';

const REDIS = '/usr/bin/redis-server';
let server: ChildProcess | undefined;
let client: ReturnType<typeof createClient>;
let commands: RedisCommandClient;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(REDIS)) return; // the suite below is skipped
  const port = await freePort();
  server = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    server!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server!.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  client = createClient({ url: `redis://127.0.0.1:${port}` });
  await client.connect();
  commands = { sendCommand: (args) => client.sendCommand(args) };
}, 20_000);

afterAll(async () => {
  await client?.quit().catch(() => undefined);
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

describe.skipIf(!existsSync(REDIS))('RedisNonceStore against redis-server', () => {
  it('issues 44-character nonces stored with a TTL, consumed once', async () => {
    const store = new RedisNonceStore(commands);
    const nonce = await store.issue();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const ttl = Number(await client.sendCommand(['PTTL', `jpki-bridge:nonce:${nonce}`]));
    expect(ttl).toBeGreaterThan(5 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    expect(await store.consume(nonce)).toBe('ok');
    expect(await store.consume(nonce)).toBe('reused');
  });

  it('says unknown for a nonce it never issued', async () => {
    const store = new RedisNonceStore(commands);
    expect(await store.consume(Buffer.alloc(32).toString('base64'))).toBe('unknown');
  });

  it('says expired for a nonce older than its lifetime (by the verifier’s clock)', async () => {
    const clock = { now: Date.now() };
    const store = new RedisNonceStore(commands, { now: () => clock.now });
    const nonce = await store.issue();
    clock.now += 5 * 60_000 + 1;
    expect(await store.consume(nonce)).toBe('expired');
    expect(await store.consume(nonce)).toBe('reused');
  });

  it('is shared by two servers: a nonce issued by one is consumed once across both', async () => {
    const second = createClient({ url: client.options?.url });
    await second.connect();
    try {
      const a = new RedisNonceStore(commands);
      const b = new RedisNonceStore({ sendCommand: (args) => second.sendCommand(args) });
      const nonce = await a.issue();
      const outcomes = await Promise.all([a.consume(nonce), b.consume(nonce), a.consume(nonce), b.consume(nonce)]);
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'reused')).toHaveLength(3);
    } finally {
      await second.quit();
    }
  });

  it('forgets the nonce when its key expires (short lifetime)', async () => {
    const store = new RedisNonceStore(commands, { lifetimeMs: 50 });
    const nonce = await store.issue();
    // lifetime + retention is still 5 minutes; drop the key to model Redis expiring it.
    await client.sendCommand(['PEXPIRE', `jpki-bridge:nonce:${nonce}`, '1']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.consume(nonce)).toBe('unknown');
  });
});
