/**
 * Tokens and signatures made by the virtual card (the in-process VirtualJpkiCard, driven with the
 * JPKI APDUs the host sends), verified against its development CA: the same certificates and keys
 * the demo and the end-to-end tests use.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDigestInfo } from '@jpki-bridge/shared';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { devCaRoots, VirtualJpkiCard, type VirtualCardState } from '../../native-host/src/virtual-card/index.ts';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { sharedCardState } from './shared-cards.ts';

const ORIGIN = 'http://localhost:8443';
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

/** SELECT the applet, VERIFY the PIN, SELECT the key, COMPUTE DIGITAL SIGNATURE over `data` (the card pads whatever it gets). */
function cardSign(state: VirtualCardState, kind: 'auth' | 'sign', pin: string, data: Uint8Array): Buffer {
  const card = new VirtualJpkiCard(state);
  const send = (hex: string, data?: Uint8Array, le = false) => {
    const header = Buffer.from(hex, 'hex');
    const body = data ? Buffer.concat([Buffer.from([data.length]), data]) : Buffer.alloc(0);
    const apdu = Buffer.concat([header, body, le ? Buffer.from([0]) : Buffer.alloc(0)]);
    const response = Buffer.from(card.transmit(apdu));
    const sw = response.readUInt16BE(response.length - 2);
    if (sw !== 0x9000) throw new Error(`${hex}: SW ${sw.toString(16)}`);
    return response.subarray(0, -2);
  };
  send('00a4040c', Buffer.from('d392f000260100000001', 'hex'));
  send('00a4020c', Buffer.from(kind === 'auth' ? '0018' : '001b', 'hex'));
  send('00200080', Buffer.from(pin, 'ascii'));
  send('00a4020c', Buffer.from(kind === 'auth' ? '0017' : '001a', 'hex'));
  return send('802a0080', data, true);
}

const tokenHash = (nonce: string) => sha256(Buffer.concat([sha256(ORIGIN), sha256(nonce)]));
const token = (state: VirtualCardState, signature: Buffer, format = AUTH_TOKEN_FORMAT, algorithm = AUTH_TOKEN_ALGORITHM) => ({
  format,
  unverifiedCertificate: state.auth.certificate,
  algorithm,
  signature: signature.toString('base64'),
  appVersion: 'https://github.com/jpki-bridge/jpki-bridge/0.1.0',
});

let adult: VirtualCardState;
let expired: VirtualCardState;
let verifier: JpkiVerifier;

beforeAll(async () => {
  [adult, expired] = await Promise.all([sharedCardState('adult'), sharedCardState('expired')]);
  const roots = devCaRoots(adult);
  const expiredRoots = devCaRoots(expired);
  verifier = new JpkiVerifier({
    trustAnchors: [...trustAnchorsFrom(roots.auth + roots.sign, 'virtual card dev CA'), ...trustAnchorsFrom(expiredRoots.auth, 'expired card dev CA')],
    policies: JPKI_TEST_POLICY_OIDS,
    origin: ORIGIN,
    revocation: 'not-checked',
  });
}, 60_000);

describe('verifier × virtual card', () => {
  it('accepts a login token the card signed over the labelled block of SHA-256(SHA-256(origin) ‖ SHA-256(nonce))', async () => {
    const nonce = await verifier.issueNonce();
    const signature = cardSign(adult, 'auth', '1234', buildAuthBlock(tokenHash(nonce)));
    const result = await verifier.verifyAuthToken(token(adult, signature), { nonce });
    expect(result).toMatchObject({ ok: true, revocation: 'not-checked' });
  });

  it('refuses a token forged through the portal surface: the card’s auth-key signature over the web-eid DigestInfo', async () => {
    // What an allow-listed portal page gets signed with launchApp mode 01 for another site's nonce.
    for (const [format, algorithm, code] of [
      [AUTH_TOKEN_FORMAT, AUTH_TOKEN_ALGORITHM, 'SIGNATURE_INVALID'],
      ['web-eid:1.0', 'RS256', 'TOKEN_FORMAT'],
    ] as const) {
      const nonce = await verifier.issueNonce();
      const forged = cardSign(adult, 'auth', '1234', buildDigestInfo('SHA-256', tokenHash(nonce)));
      expect(await verifier.verifyAuthToken(token(adult, forged, format, algorithm), { nonce }), format).toMatchObject({ ok: false, code });
    }
  });

  it('reads the persona from the card’s signing certificate', async () => {
    const hash = sha256('申告書');
    const signature = cardSign(adult, 'sign', 'ABC123', buildDigestInfo('SHA-256', hash));
    const result = await verifier.verifySignature({
      hash,
      hashFunction: 'SHA-256',
      signature: signature.toString('base64'),
      certificate: adult.sign!.certificate,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.holder).toMatchObject({
      name: adult.persona.name,
      address: adult.persona.address,
      dateOfBirth: adult.persona.birth,
      sex: 'male',
    });
  });

  it('rejects the card’s signing certificate offered for login, and its auth certificate for signing', async () => {
    const nonce = await verifier.issueNonce();
    const hash = sha256('x');
    const signature = cardSign(adult, 'auth', '1234', buildDigestInfo('SHA-256', hash)).toString('base64');
    const offered = { ...token(adult, Buffer.alloc(0)), unverifiedCertificate: adult.sign!.certificate, signature };
    expect(await verifier.verifyAuthToken(offered, { nonce })).toMatchObject({ code: 'WRONG_CERTIFICATE_TYPE' });
    expect(await verifier.verifySignature({ hash, hashFunction: 'SHA-256', signature, certificate: adult.auth.certificate })).toMatchObject({
      code: 'WRONG_CERTIFICATE_TYPE',
    });
  });

  it('rejects the expired persona’s certificate as CERTIFICATE_EXPIRED', async () => {
    const nonce = await verifier.issueNonce();
    const offered = { ...token(expired, Buffer.alloc(0)), signature: 'AAAA' };
    expect(await verifier.verifyAuthToken(offered, { nonce })).toMatchObject({ code: 'CERTIFICATE_EXPIRED' });
  });
});
