/** `jpki-bridge virtual-card …` argument handling and the create → show → reset-pins round trip (in process). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../native-host/src/cli/virtual-card.ts';
import { captureOutput } from '../harness/capture-output.ts';
import { loadCardState, saveCardState } from '../../native-host/src/virtual-card/state-file.ts';

const capture = captureOutput;

afterEach(() => vi.restoreAllMocks());

describe('virtual-card CLI', () => {
  it('exits 64 with usage for an unknown subcommand', async () => {
    const io = capture();
    expect(await main(['frobnicate'])).toBe(64);
    expect(io.err()).toContain('usage:');
  });
  it('exits 64 when --state is missing', async () => {
    const io = capture();
    expect(await main(['show'])).toBe(64);
    expect(io.err()).toContain('--state FILE is required');
  });
  it('exits 64 for an unknown option, a bad persona, sex, port or remove-at', async () => {
    capture();
    expect(await main(['create', '--state', '/tmp/x.json', '--colour', 'red'])).toBe(64);
    expect(await main(['create', '--state', '/tmp/x.json', '--persona', 'child'])).toBe(64);
    expect(await main(['create', '--state', '/tmp/x.json', '--sex', '3'])).toBe(64);
    expect(await main(['serve', '--state', '/tmp/x.json', '--port', '1234'])).toBe(64);
    expect(await main(['serve', '--state', '/tmp/x.json', '--remove-at', '0'])).toBe(64);
  });
  it('create → show → reset-pins: show never prints a PIN', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'jpki-vc-cli-')), 'card.json');
    const io = capture();
    expect(await main(['create', '--state', file, '--persona', 'adult', '--name', '山田 花子', '--sex', '2'])).toBe(0);
    const state = await loadCardState(file);
    expect(state.persona).toMatchObject({ kind: 'adult', name: '山田 花子', sex: '2' });
    state.pins.auth.retriesLeft = 0;
    await saveCardState(file, state);
    expect(await main(['show', '--state', file])).toBe(0);
    expect(io.out()).toContain('authentication PIN: LOCKED; PIN: default');
    expect(io.out() + io.err()).not.toMatch(/1234|ABC123/);
    expect(await main(['reset-pins', '--state', file])).toBe(0);
    expect((await loadCardState(file)).pins.auth.retriesLeft).toBe(3);
  });
});
