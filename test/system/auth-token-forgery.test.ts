/**
 * Issue 10, finding 1, end to end: the real host binary over native messaging, pcscd, vpcd and the
 * virtual card, then the verifier. An allow-listed portal page could once have the authentication
 * key sign the web-eid DigestInfo for another site's origin and nonce (`portal-login`, what
 * `launchApp` mode 01 reaches) and pass the result off as that site's login token. Now the token
 * signs a labelled block the portal path refuses to sign, and the verifier accepts nothing else.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { type HostProcess, settle, spawnHost } from '../harness/host.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { createCardState, type ServedCard, serveCard } from '../../tools/dev/virtual-card.ts';

const VICTIM = 'https://bank.example';
const PORTAL = 'https://portal.example.jp';
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
const tokenHash = (origin: string, nonce: string) => sha256(Buffer.concat([sha256(origin), sha256(nonce)]));

let pcscd: { stop(): Promise<void> };
let card: ServedCard;
let host: HostProcess;
let verifier: JpkiVerifier;

beforeAll(async () => {
  pcscd = await ensurePcscd();
  const stateFile = await createCardState({ persona: 'adult', dir: await mkdtemp(join(tmpdir(), 'jpki-forgery-')) });
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as { ca: { auth: { certificate: string } } };
  // The victim site's verifier trusts the card's development CA, as a site trusts the J-LIS roots.
  verifier = new JpkiVerifier({
    trustAnchors: trustAnchorsFrom(Buffer.from(state.ca.auth.certificate, 'base64'), 'virtual card: development CA (auth)'),
    policies: JPKI_TEST_POLICY_OIDS,
    origin: VICTIM,
    revocation: 'not-checked',
  });
  card = await serveCard({ stateFile });
  host = await spawnHost({ card: 'pcsc' });
  await settle(host);
}, 660_000); // serveCard waits up to 600 s for the shared virtual readers
afterAll(async () => {
  host?.kill();
  await card?.stop();
  await pcscd?.stop();
});

const signs = async () => (await card.traceCommands()).filter((command) => command.startsWith('802a'));

describe('a login token forged through the portal surface', () => {
  it('is refused by the verifier when the portal path signed the web-eid DigestInfo for another site', async () => {
    const nonce = await verifier.issueNonce(); // the attacker fetched a challenge from the victim
    const digestInfo = Buffer.from(buildDigestInfo('SHA-256', tokenHash(VICTIM, nonce))).toString('base64');
    const reply = await host.request('portal-login', { origin: PORTAL, digest: digestInfo, pin: VIRTUAL_PINS.auth });
    expect(reply.error, JSON.stringify(reply)).toBeUndefined();
    const { signature, certificate } = reply.result as { signature: string; certificate: string };

    const wrapped = (format: string, algorithm: string) => ({
      format,
      unverifiedCertificate: certificate,
      algorithm,
      signature,
      appVersion: 'https://github.com/jpki-bridge/jpki-bridge/0.1.0',
    });
    expect(await verifier.verifyAuthToken(wrapped(AUTH_TOKEN_FORMAT, AUTH_TOKEN_ALGORITHM), { nonce })).toMatchObject({
      ok: false,
      code: 'SIGNATURE_INVALID',
    });
    const again = await verifier.issueNonce();
    expect(await verifier.verifyAuthToken(wrapped('web-eid:1.0', 'RS256'), { nonce: again })).toMatchObject({ ok: false, code: 'TOKEN_FORMAT' });
  });

  it('cannot be made at all: the host refuses to sign a login block through portal-login, before any signature', async () => {
    const before = (await signs()).length;
    const block = Buffer.from(buildAuthBlock(tokenHash(VICTIM, await verifier.issueNonce()))).toString('base64');
    const reply = await host.request('portal-login', { origin: PORTAL, digest: block, pin: VIRTUAL_PINS.auth });
    expect(reply.error?.code, JSON.stringify(reply)).toBe('ERR_JPKI_INVALID_HASH');
    expect(await signs()).toHaveLength(before);
  });

  it('while the host’s own authenticate makes a token the verifier accepts for the site (positive control)', async () => {
    const nonce = await verifier.issueNonce();
    const reply = await host.request('authenticate', { origin: VICTIM, challengeNonce: nonce, pin: VIRTUAL_PINS.auth });
    expect(reply.error, JSON.stringify(reply)).toBeUndefined();
    expect(reply.result).toMatchObject({ format: AUTH_TOKEN_FORMAT, algorithm: AUTH_TOKEN_ALGORITHM });
    expect(await verifier.verifyAuthToken(reply.result, { nonce })).toMatchObject({ ok: true });
  });
});
