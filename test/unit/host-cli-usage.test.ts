/**
 * `jpki-bridge` at a terminal: usage (exit 2) for no argument or an unknown word, never a
 * native-messaging frame; host mode only when started as browsers start it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { VERSION } from '@jpki-bridge/shared/version';
import { route, SUBCOMMAND_NAMES } from '../../native-host/src/cli/route.ts';
import { HOST_BIN } from '../../tools/dev/checkout.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, [HOST_BIN, ...args], { encoding: 'buffer', timeout: 20_000, input: '' });

describe('route', () => {
  it('starts the host as Chromium starts it (the caller origin) and as Firefox starts it (manifest path, add-on id)', () => {
    expect(route([`chrome-extension://${CHROMIUM_EXTENSION_ID}/`])).toEqual({ kind: 'browser-host', args: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`] });
    expect(route([`chrome-extension://${CHROMIUM_EXTENSION_ID}/`, '--parent-window=1234']).kind).toBe('browser-host');
    expect(route(['/usr/lib/mozilla/native-messaging-hosts/jpki_bridge.json', GECKO_EXTENSION_ID]).kind).toBe('browser-host');
    expect(route(['C:\\ProgramData\\jpki-bridge\\jpki_bridge.firefox.json', GECKO_EXTENSION_ID]).kind).toBe('browser-host');
    expect(route(['host', '--card', 'pcsc', `chrome-extension://${CHROMIUM_EXTENSION_ID}/`])).toEqual({
      kind: 'subcommand',
      name: 'host',
      args: ['--card', 'pcsc', `chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
    });
  });

  it('does not start the host for words that only resemble what a browser passes', () => {
    for (const argv of [
      ['chrome-extension://short/'],
      ['manifest.json', GECKO_EXTENSION_ID],
      ['/tmp/x.json'],
      ['/tmp/x.json', '--flag'],
      ['/tmp/x.txt', 'id'],
    ]) {
      expect(route(argv).kind, argv.join(' ')).toBe('usage-error');
    }
  });

  it('gives the usage for no argument and for an unknown word, help for --help and per subcommand', () => {
    expect(route([]).kind).toBe('usage-error');
    expect(route(['help']).kind).toBe('help');
    expect(route(['frobnicate', '--help'])).toMatchObject({ kind: 'usage-error' });
    for (const name of SUBCOMMAND_NAMES) expect(route([name, '--help'])).toEqual({ kind: 'help', subcommand: name });
    expect(route(['--help', 'doctor'])).toEqual({ kind: 'help', subcommand: 'doctor' });
    expect(route(['doctor', '--browser', 'firefox'])).toEqual({ kind: 'subcommand', name: 'doctor', args: ['--browser', 'firefox'] });
  });
});

describe('the built CLI at a terminal', () => {
  it.each([[[]], [['frobnicate']], [['help-me']]])('%j prints the usage to stderr, nothing on stdout, and exits 2', (args) => {
    const result = cli(...args);
    expect(result.status).toBe(2);
    expect(result.stdout.length).toBe(0); // no native-messaging frame on the terminal
    expect(result.stderr.toString()).toContain('usage / 使い方:');
    expect(result.stderr.toString()).toContain('jpki-bridge doctor');
  });

  it("doctor --help prints doctor's usage and exits 0", () => {
    const result = cli('doctor', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toMatch(/^usage: jpki-bridge doctor /);
  });

  it('--version names the release and the Node runtime', () => {
    expect(cli('--version').stdout.toString()).toBe(
      `jpki-bridge ${VERSION} (node ${process.version}${process.release.lts ? ` LTS ${process.release.lts}` : ''})\n`,
    );
  });
});
