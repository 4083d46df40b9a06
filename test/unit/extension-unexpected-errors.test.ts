/**
 * What the background's console says when an operation ends in ERR_JPKI_UNKNOWN (the page learns
 * only the code): enough to find the failure, never a PIN. Through the router, as the browser
 * delivers a page's request, with a scripted host and dialog.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { OperationLock } from '../../extension/src/background/operation-lock.ts';
import { DialogRateLimit } from '../../extension/src/background/dialog-rate-limit.ts';
import { route } from '../../extension/src/background/router.ts';
import { logUnexpectedError } from '../../extension/src/background/unexpected-error.ts';
import type { BackgroundContext } from '../../extension/src/background/context.ts';
import { fakeHost, statusResult, type Handler } from './extension-fakes/fake-native.ts';
import { fakePrompt } from './extension-fakes/fake-prompt.ts';

const PIN = '4711';
const NONCE = 'q'.repeat(43) + '=';
const SELF = { id: 'ext', baseUrl: 'chrome-extension://ext/' };
const SENDER = { id: 'ext', url: 'https://rp.example/login', origin: 'https://rp.example', tab: { id: 1 }, frameId: 0 };
const LOGIN = { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE }, origin: 'https://rp.example', active: true };

function context(handler: Handler, overrides: Partial<BackgroundContext> = {}): BackgroundContext {
  return {
    connect: fakeHost(handler).connect,
    openPrompt: fakePrompt([{ type: 'pin', pin: PIN, confirmLastTry: false }]).open,
    lock: new OperationLock(),
    allowList: async () => [],
    isBlocked: async () => false,
    dialogLimit: new DialogRateLimit(),
    extensionVersion: '0.1.0',
    helloTimeoutMs: 200,
    requestTimeoutMs: 500,
    ...overrides,
  };
}

/** Everything the background wrote to console.error while `run` ran. */
async function consoleErrorsOf(run: () => Promise<unknown>): Promise<{ result: unknown; logged: string }> {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  const result = await run();
  return { result, logged: spy.mock.calls.map((call) => call.join(' ')).join('\n') };
}

afterEach(() => vi.restoreAllMocks());

describe('an operation that ends in ERR_JPKI_UNKNOWN leaves a trace in the background console', () => {
  it('a login token of another build’s shape is logged as a malformed authenticate result, without the PIN', async () => {
    // What an older host (or, the other way round, an older background) made of a login.
    const olderToken = { format: 'web-eid:1.0', unverifiedCertificate: 'MAA=', algorithm: 'RS256', signature: 'AAAA', appVersion: 'https://x/0.1.0' };
    const { result, logged } = await consoleErrorsOf(() =>
      route(
        context((command) => (command === 'status' ? statusResult() : olderToken)),
        SELF,
        LOGIN,
        SENDER,
      ),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_UNKNOWN' } });
    expect(logged).toContain('ERR_JPKI_UNKNOWN: The host sent a malformed authenticate result.');
    expect(logged).not.toContain(PIN);
  });

  it('an untyped failure is logged by its name and where it was thrown, never by its message', async () => {
    // A message may quote the value it choked on; here, as it could, the PIN.
    const allowList = async (): Promise<readonly string[]> => {
      throw new TypeError(`cannot read "${PIN}"`);
    };
    const { result, logged } = await consoleErrorsOf(() =>
      route(
        context(() => statusResult(), { allowList }),
        SELF,
        LOGIN,
        SENDER,
      ),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_UNKNOWN' } });
    expect(logged).toContain('an unexpected TypeError ended the request');
    expect(logged).toMatch(/^\s+at .*extension-unexpected-errors\.test\.ts/m);
    expect(logged).not.toContain(PIN);
  });

  it('a typed answer with a code of its own (the user cancelled) is not logged', async () => {
    const openPrompt = fakePrompt([{ type: 'cancel' }]).open;
    const { result, logged } = await consoleErrorsOf(() =>
      route(
        context(() => statusResult(), { openPrompt }),
        SELF,
        LOGIN,
        SENDER,
      ),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_CANCELLED' } });
    expect(logged).toBe('');
  });

  it('a SpiderMonkey stack keeps its frames and a multi-line message loses every line', () => {
    const lines: string[] = [];
    const error = new RangeError(`first line\nreceived "${PIN}"`);
    error.stack = `check@moz-extension://abc/background.js:1:234\nroute@moz-extension://abc/background.js:2:10\n`;
    logUnexpectedError(error, (line) => lines.push(line));
    expect(lines.join('\n')).toBe(
      'jpki-bridge: an unexpected RangeError ended the request\ncheck@moz-extension://abc/background.js:1:234\nroute@moz-extension://abc/background.js:2:10',
    );

    const v8 = new RangeError(`first line\n    received "${PIN}"`);
    logUnexpectedError(v8, (line) => lines.push(line));
    expect(lines.at(-1)).not.toContain(PIN);
    logUnexpectedError(new JpkiError('ERR_JPKI_PIN_INCORRECT', undefined, 2), (line) => lines.push(line));
    expect(lines).toHaveLength(2);
  });
});
