/**
 * The demo server's API without a browser: the verdicts a page would get, including the
 * rejections a hostile page could try (replay, wrong origin, wrong certificate kind).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigestInfo } from '@jpki-bridge/shared';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { SESSION_LIMITS, SessionStore } from '../../demo/sessions.ts';
import { createDemoVerifier } from '../../demo/verifier-setup.ts';
import { verifyDetachedXmlSignature } from '../../relying-party/src/index.ts';
import { sharedTestPki, makeToken, signDigestInfo, type TestPki } from './verifier-fixtures.ts';

let pki: TestPki;
let server: DemoServer;

beforeAll(async () => {
  pki = await sharedTestPki();
  // A state file shaped like the virtual card's, holding the test PKI's roots.
  const dir = await mkdtemp(join(tmpdir(), 'jpki-demo-server-'));
  const stateFile = join(dir, 'card.json');
  await writeFile(stateFile, JSON.stringify({ ca: { auth: { certificate: pki.authRoot.certificate }, sign: { certificate: pki.signRoot.certificate } } }));
  server = await startDemoServer({ port: 0, createVerifier: async (origin) => (await createDemoVerifier({ origin, cardStateFile: stateFile })).verifier });
});

afterAll(async () => {
  await server?.close();
});

/** A browser-ish client: keeps the session cookie. */
function client() {
  let cookie = '';
  return async function call(path: string, body?: unknown): Promise<{ status: number; json: Record<string, any>; text: string }> {
    const response = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(cookie ? { Cookie: cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    const text = await response.text();
    let json: Record<string, any> = {};
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, json, text };
  };
}

describe('demo server: login with jpki:authenticate', () => {
  it('verifies a token for its origin and the session’s nonce, then shows the subject', async () => {
    const call = client();
    const { json } = await call('/api/auth/nonce', {});
    const login = await call('/api/auth/login', { token: makeToken(pki.auth, server.url, json.nonce) });
    expect(login).toMatchObject({ status: 200, json: { ok: true, redirect: '/welcome' } });
    const welcome = await call('/welcome');
    expect(welcome.text).toContain('ログインしました');
    expect(welcome.text).toMatch(/C=JP, CN=A[0-9a-f]+TEST/);
  });

  it('refuses a replayed token (the challenge was used up)', async () => {
    const call = client();
    const { json } = await call('/api/auth/nonce', {});
    const token = makeToken(pki.auth, server.url, json.nonce);
    expect((await call('/api/auth/login', { token })).status).toBe(200);
    expect(await call('/api/auth/login', { token })).toMatchObject({ status: 401, json: { code: 'NONCE_UNKNOWN' } });
  });

  it('refuses a token signed for another origin', async () => {
    const call = client();
    const { json } = await call('/api/auth/nonce', {});
    const result = await call('/api/auth/login', { token: makeToken(pki.auth, 'https://phish.example', json.nonce) });
    expect(result).toMatchObject({ status: 401, json: { code: 'ORIGIN_MISMATCH' } });
  });

  it('refuses a token answering another session’s challenge', async () => {
    const alice = client();
    const mallory = client();
    const { json } = await alice('/api/auth/nonce', {});
    await mallory('/api/auth/nonce', {});
    const result = await mallory('/api/auth/login', { token: makeToken(pki.auth, server.url, json.nonce) });
    expect(result.status).toBe(401);
    expect(result.json.code).toBe('ORIGIN_MISMATCH'); // genuine signature, but over another challenge
  });

  it('refuses a non-JSON post (no cross-site form can log anyone in)', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'token=x',
    });
    expect(response.status).toBe(415);
  });

  it('redirects /welcome to /login without a login', async () => {
    expect((await client()('/welcome')).status).toBe(303);
  });
});

describe('demo server: portal-compatible login', () => {
  const identity = { uuid: '0123456789abcdef0123456789abcdef', combination_code: 'ab'.repeat(32) };
  /** The certificate as a portal answer carries it: base64 without padding. */
  const unpadded = (base64: string) => base64.replace(/=+$/, '');

  it('verifies the authentication key’s signature over the DigestInfo it issued, and shows the uuid and combination code it was given', async () => {
    const call = client();
    const { json } = await call('/api/portal/challenge', {});
    const signature = signDigestInfo(pki.auth, Buffer.from(json.digest, 'base64'));
    expect(await call('/api/portal/login', { signature, certificate: unpadded(pki.auth.certificate), ...identity })).toMatchObject({
      status: 200,
      json: { ok: true },
    });
    const welcome = (await call('/welcome')).text;
    expect(welcome).toContain(`data-testid="installation-uuid">${identity.uuid}<`);
    expect(welcome).toContain(`data-testid="combination-code">${identity.combination_code}<`);
  });

  it('refuses a verified answer without a well-formed uuid and combination code', async () => {
    const call = client();
    const { json } = await call('/api/portal/challenge', {});
    const signature = signDigestInfo(pki.auth, Buffer.from(json.digest, 'base64'));
    expect(await call('/api/portal/login', { signature, certificate: pki.auth.certificate, uuid: 'x' })).toMatchObject({
      status: 400,
      json: { code: 'BAD_INPUT' },
    });
  });

  it('refuses the signing certificate for login', async () => {
    const call = client();
    const { json } = await call('/api/portal/challenge', {});
    const signature = signDigestInfo(pki.sign, Buffer.from(json.digest, 'base64'));
    expect(await call('/api/portal/login', { signature, certificate: pki.sign.certificate })).toMatchObject({
      status: 401,
      json: { code: 'WRONG_CERTIFICATE_TYPE' },
    });
  });
});

describe('demo server: e-Tax-like filing', () => {
  const form = { returnName: '所得税の確定申告書', year: 2025, income: 3_000_000, deductions: 500_000 };

  it('completes the XMLDSig, shows the holder and serves a signed XML that verifies', async () => {
    const call = client();
    const prepared = (await call('/api/etax/prepare', form)).json;
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.from(prepared.hash, 'base64')));
    const done = await call('/api/etax/complete', { id: prepared.id, signature, certificate: pki.sign.certificate });
    expect(done.status).toBe(200);
    expect(done.json.holder).toMatchObject({ name: '公的　太郎', address: '東京都千代田区霞が関２－１－２', dateOfBirth: '1985-04-01' });
    const xml = (await call(done.json.download)).text;
    expect(verifyDetachedXmlSignature(xml).valid).toBe(true);
    expect(xml).toContain('<TaxableIncome currency="JPY">2500000</TaxableIncome>');
    // Completing the same filing twice is refused.
    expect((await call('/api/etax/complete', { id: prepared.id, signature, certificate: pki.sign.certificate })).status).toBe(404);
  });

  it('refuses an authentication certificate for signing', async () => {
    const call = client();
    const prepared = (await call('/api/etax/prepare', form)).json;
    const signature = signDigestInfo(pki.auth, buildDigestInfo('SHA-256', Buffer.from(prepared.hash, 'base64')));
    expect(await call('/api/etax/complete', { id: prepared.id, signature, certificate: pki.auth.certificate })).toMatchObject({
      status: 400,
      json: { code: 'WRONG_CERTIFICATE_TYPE' },
    });
  });

  it('writes the filer from the card face into the return and answers it beside the signer', async () => {
    const call = client();
    const filer = { filerName: 'デジタル 太郎', filerAddress: '東京都千代田区霞が関2-1-2 <1F> & 2F' };
    const prepared = (await call('/api/etax/prepare', { ...form, ...filer })).json;
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.from(prepared.hash, 'base64')));
    const done = await call('/api/etax/complete', { id: prepared.id, signature, certificate: pki.sign.certificate });
    expect(done.json.filer).toEqual({ name: filer.filerName, address: filer.filerAddress });
    const xml = (await call(done.json.download)).text;
    expect(xml).toContain('<Filer><FilerName>デジタル 太郎</FilerName><Address>東京都千代田区霞が関2-1-2 &lt;1F&gt; &amp; 2F</Address></Filer>');
    expect(verifyDetachedXmlSignature(xml).valid).toBe(true);
  });

  it('refuses a bad form', async () => {
    expect((await client()('/api/etax/prepare', { ...form, income: -5 })).status).toBe(400);
    expect((await client()('/api/etax/prepare', { ...form, filerName: 'only a name' })).status).toBe(400);
    expect((await client()('/api/etax/prepare', { ...form, filerName: 'x'.repeat(201), filerAddress: 'y' })).status).toBe(400);
  });
});

describe('demo sessions are bounded', () => {
  const request = (cookie = '') => ({ headers: { cookie } }) as unknown as IncomingMessage;
  const response = () => {
    const headers: Record<string, string> = {};
    return { headers, setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as ServerResponse & { headers: Record<string, string> };
  };
  const cookieOf = (res: { headers: Record<string, string> }) => res.headers['Set-Cookie']!.split(';')[0]!;

  it('holds at most maxSessions, forgetting the least recently used, however many cookie-less requests come', () => {
    const store = new SessionStore({ maxSessions: 3 });
    const first = response();
    const kept = store.get(request(), first);
    const second = response();
    store.get(request(), second);
    store.get(request(), response());
    expect(store.get(request(cookieOf(first)), response())).toBe(kept); // a hit counts as use
    for (let i = 0; i < 1_000; i++) store.get(request(), response()); // the flood
    expect(store.size).toBe(3);
    expect(store.get(request(cookieOf(second)), response())).not.toBe(kept);
  });

  it('forgets a session idle for longer than idleMs', () => {
    const clock = { now: 0 };
    const store = new SessionStore({ idleMs: 1_000, now: () => clock.now });
    const res = response();
    const session = store.get(request(), res);
    clock.now = 900;
    expect(store.get(request(cookieOf(res)), response())).toBe(session);
    clock.now = 2_000;
    expect(store.get(request(cookieOf(res)), response())).not.toBe(session);
    expect(store.size).toBe(1);
  });

  it('keeps only the most recent filings of a session', () => {
    const session = new SessionStore().get(request(), response());
    for (let i = 0; i < SESSION_LIMITS.maxFilings + 5; i++) session.filings.set(`f${i}`, {} as never);
    expect(session.filings.size).toBe(SESSION_LIMITS.maxFilings);
    expect(session.filings.has('f0')).toBe(false);
    expect(session.filings.has(`f${SESSION_LIMITS.maxFilings + 4}`)).toBe(true);
  });
});
