/**
 * The virtual card's own numbers (manufacture number, fake My Number), the upgrade of a state file
 * from before the card-ID and text applications, and `create --atr`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../native-host/src/cli/virtual-card.ts';
import { fakeMyNumberFrom, manufactureNumberFrom, myNumberCheckDigit } from '../../native-host/src/virtual-card/card-numbers.ts';
import { loadCardState, saveCardState } from '../../native-host/src/virtual-card/state-file.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { captureOutput } from '../harness/capture-output.ts';
import { sharedCardState } from './shared-cards.ts';

let state: VirtualCardState;
beforeAll(async () => {
  state = await sharedCardState('adult');
});
afterEach(() => vi.restoreAllMocks());

describe('card numbers', () => {
  it('the My Number check digit follows the published rule (123456789018 is the usual valid example)', () => {
    expect(myNumberCheckDigit('12345678901')).toBe(8);
    expect(myNumberCheckDigit('00000000000')).toBe(0);
  });

  it('a fake My Number is 12 digits whose check digit is never the valid one', () => {
    for (let i = 0; i < 2000; i++) {
      const fake = fakeMyNumberFrom(randomBytes(12));
      expect(fake).toMatch(/^[0-9]{12}$/);
      expect(Number(fake[11])).not.toBe(myNumberCheckDigit(fake.slice(0, 11)));
    }
  });

  it('a manufacture number is 13 characters of 0-9A-Z, the same for the same bytes', () => {
    const bytes = randomBytes(13);
    expect(manufactureNumberFrom(bytes)).toMatch(/^[0-9A-Z]{13}$/);
    expect(manufactureNumberFrom(bytes)).toBe(manufactureNumberFrom(Uint8Array.from(bytes)));
    expect(() => manufactureNumberFrom(new Uint8Array(12))).toThrow(RangeError);
  });
});

describe('state of the previous format', () => {
  /** The same card as written before the card-ID and text applications existed. */
  function previousFormat(): string {
    const { atr: _atr, cardId: _cardId, text: _text, ...rest } = structuredClone(state);
    const { text: _textPin, ...pins } = rest.pins;
    return JSON.stringify({ ...rest, format: 'jpki-bridge-virtual-card/1', pins });
  }

  it('loads with the neutral ATR, a full text PIN and the same numbers at every load', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'jpki-vc-upgrade-')), 'card.json');
    await writeFile(file, previousFormat());
    const first = await loadCardState(file);
    const second = await loadCardState(file);
    expect(first.format).toBe('jpki-bridge-virtual-card/2');
    expect(first.atr).toBe('neutral');
    expect(first.pins.text).toEqual({ value: '1234', maxRetries: 3, retriesLeft: 3, isDefault: true });
    expect(first.pins.auth).toEqual(state.pins.auth);
    expect(first.cardId.manufactureNumber).toMatch(/^[0-9A-Z]{13}$/);
    expect(first.text.myNumber).toMatch(/^[0-9]{12}$/);
    expect([second.cardId, second.text]).toEqual([first.cardId, first.text]);
    await saveCardState(file, first);
    expect(JSON.parse(await readFile(file, 'utf8')).format).toBe('jpki-bridge-virtual-card/2');
  });

  it('a file of another format or not JSON is no card state', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'jpki-vc-upgrade-')), 'card.json');
    await writeFile(file, JSON.stringify({ ...state, format: 'jpki-bridge-virtual-card/9' }));
    await expect(loadCardState(file)).rejects.toThrow(/not a virtual card state/);
    await writeFile(file, '{ not json');
    await expect(loadCardState(file)).rejects.toThrow(/not a virtual card state/);
  });
});

describe('virtual-card create --atr', () => {
  it('records the chosen ATR in the state; show names it and the text PIN, never the My Number', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'jpki-vc-atr-')), 'card.json');
    const io = captureOutput();
    expect(await main(['create', '--state', file, '--atr', 'contactless'])).toBe(0);
    const created = await loadCardState(file);
    expect(created.atr).toBe('contactless');
    expect(await main(['show', '--state', file])).toBe(0);
    expect(io.out()).toContain('ATR: contactless');
    expect(io.out()).toContain(`manufacture number (card-ID application): ${created.cardId.manufactureNumber}`);
    expect(io.out()).toContain('text PIN (券面事項入力補助用): 3/3 tries left; PIN: default');
    expect(io.out()).not.toContain(created.text.myNumber);
  });

  it('exits 64 for an ATR that is not neutral, contact or contactless', async () => {
    const io = captureOutput();
    expect(await main(['create', '--state', '/tmp/never-written.json', '--atr', 'real'])).toBe(64);
    expect(io.err()).toContain('--atr must be neutral, contact, contactless');
  });
});
