/**
 * The testing kit's card controls where no browser is needed to see them (tools/dev/session-card.ts):
 * the host the kit installs keeps the one reader it names (`--card pcsc:READER`, the guard for a
 * developer's real card and the kit's "no reader"), and on the mock path pulling and inserting
 * the card is what the real host process sees. The pcsc path, with Chromium, is
 * test/e2e/testing-kit-controls.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCardState, saveCardState } from '../../native-host/src/virtual-card/index.ts';
import { renewedCardState } from '../../tools/dev/card-renewal.ts';
import { installHostForChromium } from '../../tools/dev/host-install.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { sessionCard, UNPLUGGED_READER } from '../../tools/dev/session-card.ts';
import { createCardState } from '../../tools/dev/virtual-card.ts';
import { spawnHost } from '../harness/host.ts';

let dir: string;
let stateFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jpki-session-card-'));
  stateFile = await createCardState({ dir });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const AUTH = () => ({ origin: 'https://city.example.jp', challengeNonce: randomBytes(32).toString('base64'), pin: VIRTUAL_PINS.auth });

describe('the kit’s session card', () => {
  it('the installed launcher runs the host with the named reader, not every reader', async () => {
    const profile = join(dir, 'profile');
    const manifest = JSON.parse(await readFile(await installHostForChromium(profile, { card: `pcsc:${UNPLUGGED_READER}` }, join(profile, 'config')), 'utf8'));
    expect(await readFile(manifest.path, 'utf8')).toContain(`host --card 'pcsc:${UNPLUGGED_READER}'`);
  }, 30_000);

  it('mock path: a pulled card is "no card" to the real host; inserted, the same card (and its counters) answers', async () => {
    const card = await sessionCard('mock', stateFile, undefined);
    expect(card.hostCard).toBe(`virtual:${stateFile}`);
    const host = await spawnHost({ card: card.hostCard });
    try {
      await card.pull();
      expect((await host.request('authenticate', { ...AUTH(), pin: '9999' })).error).toMatchObject({ code: 'ERR_JPKI_NO_CARD' });
      await card.insert();
      expect((await host.request('status', {})).result).toMatchObject({ card: { retries: { auth: 3 } } });
      expect((await host.request('authenticate', AUTH())).result).toMatchObject({ format: 'jpki-bridge:1' });
    } finally {
      host.endInput();
      await host.exited;
    }
  }, 60_000);

  it('mock path: started without the card, the host sees none until insert()', async () => {
    const card = await sessionCard('mock', stateFile, 'card');
    const host = await spawnHost({ card: card.hostCard });
    try {
      expect((await host.request('status', {})).result).toMatchObject({ card: null });
      await card.insert();
      expect((await host.request('status', {})).result).toMatchObject({ card: { retries: { auth: 3 } } });
    } finally {
      host.endInput();
      await host.exited;
    }
  }, 60_000);

  it('mock path: counters a host operation wrote back after the pull are the ones inserted', async () => {
    await mkdir(join(dir, 'written-back'));
    const file = await createCardState({ dir: join(dir, 'written-back') });
    const card = await sessionCard('mock', file, undefined);
    const before = await loadCardState(file);
    await card.pull();
    // What virtual-backend.ts does when a VERIFY that started before the pull fails: the counters, saved under the file's name.
    await saveCardState(file, { ...before, pins: { ...before.pins, auth: { ...before.pins.auth, retriesLeft: 2 } } });
    await card.insert();
    expect((await loadCardState(file)).pins.auth.retriesLeft).toBe(2);
    await expect(stat(`${file}.pulled`)).rejects.toThrow();
  }, 60_000);

  it('mock path: replace() puts in the renewed card, pulled or not, which the real host then uses', async () => {
    await mkdir(join(dir, 'replaced'));
    const file = await createCardState({ dir: join(dir, 'replaced') });
    const card = await sessionCard('mock', file, 'card');
    const before = await loadCardState(`${file}.pulled`);
    const renewed = await card.replace((current) => renewedCardState(current));
    expect(renewed.auth.certificate).not.toBe(before.auth.certificate);
    const host = await spawnHost({ card: card.hostCard });
    try {
      expect((await host.request('authenticate', AUTH())).result).toMatchObject({ unverifiedCertificate: renewed.auth.certificate });
    } finally {
      host.endInput();
      await host.exited;
    }
  }, 60_000);

  it('mock path: "no reader" is refused, naming what it needs', async () => {
    await expect(sessionCard('mock', stateFile, 'reader')).rejects.toThrow(/needs card: 'pcsc'/);
  });
});
