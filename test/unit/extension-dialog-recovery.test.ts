/**
 * The PIN dialog's ways out of a dead end, in the background: 再試行 asks the host again in the
 * same window and session, an expired certificate is said before any PIN is asked, 延長 moves the
 * deadline a bounded number of times, and the badge says only what is true of the origin.
 */
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { DEADLINE_EXTENSION_MS, MAX_DEADLINE_EXTENSIONS } from '@jpki-bridge/shared/constants';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { createDeadline } from '../../extension/src/background/deadline.ts';
import { route } from '../../extension/src/background/router.ts';
import { siteKind } from '../../extension/src/settings/site-kind.ts';
import type { BackgroundContext } from '../../extension/src/background/context.ts';
import type { PromptAnswer } from '../../extension/src/background/pin-prompt.ts';
import { nextStepKey } from '../../extension/src/dialog/next-step.ts';
import { ERROR_CODES } from '@jpki-bridge/shared/errors';
import ja from '../../extension/public/_locales/ja/messages.json';
import en from '../../extension/public/_locales/en/messages.json';
import { fakeHost, statusResult } from './extension-fakes/fake-native.ts';
import { fakePrompt } from './extension-fakes/fake-prompt.ts';
import { NONCE, SELF, TOKEN, fakeContext } from './extension-fakes/fake-context.ts';

const sender = (origin = 'https://rp.example') => ({ id: 'ext', url: `${origin}/login`, origin, tab: { id: 1 }, frameId: 0 });
const pin = (p: string): PromptAnswer => ({ type: 'pin', pin: p, confirmLastTry: false });

const authenticate = (ctx: BackgroundContext, origin = 'https://rp.example', timeout?: number) =>
  route(
    ctx,
    SELF,
    { channel: 'page', action: 'jpki:authenticate', origin, active: true, request: { challengeNonce: NONCE, ...(timeout ? { timeout } : {}) } },
    sender(origin),
  );

/** A self-signed certificate (base64 DER) valid until `notAfter`. */
function certificateUntil(notAfter: Date): string {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = '01';
  certificate.validity.notBefore = new Date(notAfter.getTime() - 5 * 365 * 86_400_000);
  certificate.validity.notAfter = notAfter;
  certificate.setSubject([{ name: 'commonName', value: 'test' }]);
  certificate.setIssuer([{ name: 'commonName', value: 'test' }]);
  certificate.sign(keys.privateKey, forge.md.sha256.create());
  return forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes());
}

describe('再試行 in the same window', () => {
  it('no card, then the card is put on the reader: 再試行 asks the same host again and the PIN goes through', async () => {
    // The user reads "no card", puts the card on the reader, presses 再試行: the second status has it.
    let statuses = 0;
    let hellos = 0;
    const host = fakeHost((command) => {
      if (command === 'status') return ++statuses === 1 ? { ...statusResult(), card: null } : statusResult();
      return TOKEN;
    });
    const connect = host.connect;
    host.connect = () => (hellos++, connect());
    const prompt = fakePrompt([{ type: 'retry' }, pin('1234')]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: true });
    expect(prompt.opened).toBe(1);
    expect(prompt.states[0]).toMatchObject({ phase: 'failed', retryable: true, error: { code: 'ERR_JPKI_NO_CARD' } });
    expect(prompt.states[1]).toMatchObject({ phase: 'enter', retriesLeft: 3, error: null });
    expect(host.requests.map((r) => r.command)).toEqual(['status', 'status', 'authenticate']);
    expect(hellos).toBe(1); // one host for the whole operation
  });

  it('a busy card keeps the host’s words about who holds it, and may be retried', async () => {
    const host = fakeHost(() => {
      throw new JpkiError('ERR_JPKI_CARD_BUSY', 'another program holds the card in "Reader 0" exclusively');
    });
    const prompt = fakePrompt([{ type: 'close' }]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_CARD_BUSY' } });
    expect(prompt.states[0]).toMatchObject({
      phase: 'failed',
      retryable: true,
      error: { code: 'ERR_JPKI_CARD_BUSY', detail: expect.stringContaining('exclusively') },
    });
  });

  it('a retry the failure does not allow (no signing certificate) changes nothing', async () => {
    const host = fakeHost(() => statusResult({ auth: 3, sign: 0 }, { hasSigningCertificate: false }));
    const prompt = fakePrompt([{ type: 'retry' }, { type: 'close' }]);
    const out = await route(
      fakeContext(host, prompt),
      SELF,
      {
        channel: 'page',
        action: 'jpki:sign',
        origin: 'https://rp.example',
        active: true,
        request: { hashes: [Buffer.alloc(32).toString('base64')], hashFunction: 'SHA-256' },
      },
      sender(),
    );
    expect(out).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NO_SIGNING_CERTIFICATE' } });
    expect(prompt.states.map((s) => s.retryable)).toEqual([false, false]);
    expect(host.requests.map((r) => r.command)).toEqual(['status']);
  });
});

describe('expiry before the PIN', () => {
  it('an expired authentication certificate fails before any PIN is asked', async () => {
    const expired = certificateUntil(new Date(Date.now() - 86_400_000));
    const host = fakeHost((command) => (command === 'status' ? statusResult(undefined, { authCertificate: expired }) : TOKEN));
    const prompt = fakePrompt([pin('1234'), { type: 'close' }]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_CERTIFICATE_EXPIRED' } });
    expect(prompt.states[0]).toMatchObject({ phase: 'failed', retryable: false, error: { code: 'ERR_JPKI_CERTIFICATE_EXPIRED' } });
    expect(host.requests.map((r) => r.command)).toEqual(['status']); // no PIN reached the host
  });

  it('a certificate valid until next year asks for the PIN', async () => {
    const valid = certificateUntil(new Date(Date.now() + 365 * 86_400_000));
    const host = fakeHost((command) => (command === 'status' ? statusResult(undefined, { authCertificate: valid }) : TOKEN));
    const prompt = fakePrompt([pin('1234')]);
    expect(await authenticate(fakeContext(host, prompt))).toMatchObject({ ok: true });
  });
});

describe('延長', () => {
  it('moves the deadline by DEADLINE_EXTENSION_MS, at most MAX_DEADLINE_EXTENSIONS times', () => {
    let now = 1_000;
    const deadline = createDeadline(30_000, () => now);
    for (let i = 0; i < MAX_DEADLINE_EXTENSIONS; i++) expect(deadline.extend()).toBe(true);
    expect(deadline.extend()).toBe(false);
    expect(deadline.at).toBe(31_000 + MAX_DEADLINE_EXTENSIONS * DEADLINE_EXTENSION_MS);
    expect(deadline.extensionsLeft).toBe(0);
    now = deadline.at + 1;
    expect(createDeadline(0, () => now).extend()).toBe(false); // a passed deadline stays passed
  });

  it('a running race outlives the original deadline once extended', async () => {
    const deadline = createDeadline(40);
    const race = deadline.race(new Promise((resolve) => setTimeout(() => resolve('answered'), 120)));
    expect(deadline.extend()).toBe(true);
    await expect(race).resolves.toBe('answered');
  });

  it('the dialog is told the new deadline and the extensions left; what is typed stays (same attempt)', async () => {
    const host = fakeHost((command) => (command === 'status' ? statusResult() : TOKEN));
    const prompt = fakePrompt([{ type: 'extend' }, pin('1234')]);
    expect(await authenticate(fakeContext(host, prompt), 'https://rp.example', 5_000)).toMatchObject({ ok: true });
    const [before, after] = prompt.states;
    expect(after!.deadline - before!.deadline).toBe(DEADLINE_EXTENSION_MS);
    expect(after).toMatchObject({ extensionsLeft: MAX_DEADLINE_EXTENSIONS - 1, attempt: before!.attempt });
  });
});

describe('the badge says what is true', () => {
  const list = ['https://myna.go.jp', 'https://clientweb.e-tax.nta.go.jp', 'https://city.example.lg.jp', 'https://localhost:8443'];
  it('preset, added, development, other', () => {
    expect(siteKind('https://myna.go.jp', list)).toBe('preset');
    expect(siteKind('https://city.example.lg.jp', list)).toBe('added');
    expect(siteKind('http://localhost:3000', list)).toBe('development');
    expect(siteKind('https://localhost:8443', list)).toBe('development'); // listed, still not a public service
    expect(siteKind('http://127.0.0.1', list)).toBe('development');
    expect(siteKind('https://rp.example', list)).toBe('other');
    expect(siteKind('https://myna.go.jp', [])).toBe('other'); // a preset the user removed is not vouched for
  });
});

describe('every error names its next step', () => {
  it('each error code has a next step in both languages; the PIN ones per PIN', () => {
    for (const messages of [ja, en] as Record<string, { message: string }>[]) {
      for (const code of ERROR_CODES) {
        for (const kind of ['auth', 'sign', 'text'] as const) {
          const key = nextStepKey(code, kind);
          expect(messages[key]?.message, key).toBeTruthy();
        }
      }
    }
  });
});
