/**
 * The browserless card's session controls (@jpki-bridge/testing `createVirtualCard`): pulling
 * and inserting the card, the host crashing, and starting without a card, a reader or the host.
 * Each must fail the call with the JpkiError code a page gets in the browser (the kit's own
 * e2e test, test/e2e/testing-kit-controls.test.ts, shows the page's side), spend no PIN try, and
 * leave the card working once the cause is gone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { createVirtualCard, type InProcessVirtualCard } from '../../tools/dev/in-process-card.ts';
import { spawnHost } from '../harness/host.ts';

const ORIGIN = 'https://city.example.jp';
const login = (card: InProcessVirtualCard) => card.authenticate({ origin: ORIGIN, challengeNonce: randomBytes(32).toString('base64') });
const hash = randomBytes(32);
const signing = (card: InProcessVirtualCard) => card.sign({ hashes: [hash], hashFunction: 'SHA-256' });

let template: InProcessVirtualCard;
/** A fresh card each (the controls change the card's presence, not its keys). */
const fresh = (without?: 'card' | 'reader' | 'host') => createVirtualCard({ state: structuredClone(template.state), ...(without ? { without } : {}) });
beforeAll(async () => {
  template = await createVirtualCard({ persona: 'adult' });
}, 60_000);

describe('createVirtualCard session controls', () => {
  it('a pulled card fails login and signing with ERR_JPKI_NO_CARD and no try spent; inserted again, it logs in', async () => {
    const card = await fresh();
    card.pull();
    const error = await login(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JpkiError);
    expect(error).toMatchObject({ code: 'ERR_JPKI_NO_CARD' });
    await expect(signing(card)).rejects.toMatchObject({ code: 'ERR_JPKI_NO_CARD' });
    expect(card.state.pins.auth.retriesLeft).toBe(3);
    expect(card.state.pins.sign.retriesLeft).toBe(5);
    card.insert();
    await expect(login(card)).resolves.toMatchObject({ format: 'jpki-bridge:1' });
  });

  it('the PIN counters stay with the card across a pull: a miss before it still counts after it', async () => {
    const card = await fresh();
    await expect(card.authenticate({ origin: ORIGIN, challengeNonce: randomBytes(32).toString('base64'), pin: '9999' })).rejects.toMatchObject({
      retriesLeft: 2,
    });
    card.pull();
    card.insert();
    await expect(card.authenticate({ origin: ORIGIN, challengeNonce: randomBytes(32).toString('base64'), pin: '9998' })).rejects.toMatchObject({
      code: 'ERR_JPKI_PIN_INCORRECT',
      retriesLeft: 1,
    });
  });

  it('without a card it fails until insert(); a malformed nonce is still refused first, as the extension refuses it before starting the host', async () => {
    const card = await fresh('card');
    await expect(login(card)).rejects.toMatchObject({ code: 'ERR_JPKI_NO_CARD' });
    await expect(card.authenticate({ origin: ORIGIN, challengeNonce: 'short' })).rejects.toMatchObject({ code: 'ERR_JPKI_INVALID_NONCE' });
    card.insert();
    await expect(login(card)).resolves.toMatchObject({ format: 'jpki-bridge:1' });
  });

  it('without a reader, calls fail with ERR_JPKI_NO_READER', async () => {
    const card = await fresh('reader');
    await expect(login(card)).rejects.toMatchObject({ code: 'ERR_JPKI_NO_READER' });
    await expect(signing(card)).rejects.toMatchObject({ code: 'ERR_JPKI_NO_READER' });
  });

  it('without the host, every call fails with ERR_JPKI_NATIVE_UNAVAILABLE and the install advice; the card is not touched', async () => {
    const card = await fresh('host');
    for (let i = 0; i < 2; i++) {
      const error = await login(card).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
      expect((error as Error).message).toContain('jpki-bridge install');
    }
    await expect(card.authenticate({ origin: ORIGIN, challengeNonce: randomBytes(32).toString('base64'), pin: '0000' })).rejects.toMatchObject({
      code: 'ERR_JPKI_NATIVE_UNAVAILABLE',
    });
    expect(card.state.pins.auth.retriesLeft).toBe(3);
  });

  it('stopHost(): the call the host dies under fails with ERR_JPKI_NATIVE_UNAVAILABLE, the next starts a new host and works', async () => {
    const card = await fresh();
    card.stopHost();
    await expect(signing(card)).rejects.toMatchObject({ code: 'ERR_JPKI_NATIVE_UNAVAILABLE' });
    expect(card.state.pins.sign.retriesLeft).toBe(5);
    await expect(signing(card)).resolves.toMatchObject({ signatures: [expect.any(String)] });
  });

  it('refuses an unknown `without` (from JavaScript) instead of starting a working card', async () => {
    await expect(createVirtualCard({ without: 'cards' as never })).rejects.toThrow(/without must be one of 'card', 'reader', 'host'/);
  });
});

describe('the browserless "no card" is the host process’s', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jpki-browserless-controls-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the real host over a card that is not there (`--card virtual:FILE`, no FILE) answers the same code', async () => {
    const host = await spawnHost({ card: `virtual:${join(dir, 'absent.json')}` });
    try {
      const reply = await host.request('authenticate', { origin: ORIGIN, challengeNonce: randomBytes(32).toString('base64'), pin: '1234' });
      const card = await fresh();
      card.pull();
      const error = (await login(card).catch((e: unknown) => e)) as JpkiError;
      expect(reply.error).toMatchObject({ code: error.code });
      expect(error.code).toBe('ERR_JPKI_NO_CARD');
    } finally {
      host.endInput();
      await host.exited;
    }
  }, 60_000);
});
