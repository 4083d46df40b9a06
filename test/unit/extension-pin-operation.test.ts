/**
 * The PIN operation's owner (extension/src/background/pin-operation.ts) with its guards passed in
 * directly: what each guard stops, in which order they act, and that the window, the native port
 * and the tab watch are torn down exactly once on every path.
 */
import { describe, expect, it } from 'vitest';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { OperationLock } from '../../extension/src/background/operation-lock.ts';
import { type PinGuards, type PinOperationIo, runPinOperation } from '../../extension/src/background/pin-operation.ts';
import { fakeHost, statusResult, type FakeHost } from './extension-fakes/fake-native.ts';
import { afterTheAnswer, fakePrompt, type FakePrompt } from './extension-fakes/fake-prompt.ts';
import { TOKEN } from './extension-fakes/fake-context.ts';

const ORIGIN = 'https://rp.example';

/** A host whose card takes PIN 1234 for `authenticate`. */
function host(): FakeHost {
  return fakeHost((command, args) => {
    if (command === 'status') return statusResult();
    if (args.pin !== '1234') throw new JpkiError('ERR_JPKI_PIN_INCORRECT', undefined, 2);
    return TOKEN;
  });
}

function io(native: FakeHost, prompt: FakePrompt, events: string[]): PinOperationIo {
  return {
    connect: native.connect,
    openPrompt: () => {
      events.push('window');
      return prompt.open();
    },
    allowList: async () => [],
    helloTimeoutMs: 500,
    requestTimeoutMs: 500,
  };
}

const login = {
  origin: ORIGIN,
  use: 'authenticate',
  count: 1,
  timeoutMs: 5_000,
  call: (session, pin) => session.request('authenticate', { origin: ORIGIN, challengeNonce: 'n', pin }),
} as const satisfies Parameters<typeof runPinOperation>[2];

describe('runPinOperation', () => {
  it('takes the lock, then one dialog of the allowance, then opens the window, and tears each down once', async () => {
    const native = host();
    const prompt = fakePrompt([{ type: 'pin', pin: '1234', confirmLastTry: false }]);
    const events: string[] = [];
    const lock = new OperationLock();
    let disposed = 0;
    const guards: PinGuards = {
      lock,
      takeDialog: async () => {
        events.push(`dialog taken (lock ${lock.busy ? 'held' : 'free'})`);
      },
      watchTab: () => ({ gone: new Promise<never>(() => {}), dispose: () => void disposed++ }),
    };
    await expect(runPinOperation(guards, io(native, prompt, events), login)).resolves.toEqual(TOKEN);
    expect(events).toEqual(['dialog taken (lock held)', 'window']);
    expect(lock.busy).toBe(false);
    expect(disposed).toBe(1);
    await afterTheAnswer();
    await afterTheAnswer();
    expect([prompt.opened, prompt.closed, native.opened, native.closed]).toEqual([1, 1, 1, 1]);
  });

  it('a refused dialog allowance opens no window and starts no host, and frees the lock', async () => {
    const native = host();
    const prompt = fakePrompt([]);
    const events: string[] = [];
    const guards: PinGuards = { lock: new OperationLock(), takeDialog: () => Promise.reject(new JpkiError('ERR_JPKI_RATE_LIMITED')) };
    await expect(runPinOperation(guards, io(native, prompt, events), login)).rejects.toMatchObject({ code: 'ERR_JPKI_RATE_LIMITED' });
    await afterTheAnswer();
    expect(events).toEqual([]);
    expect([prompt.opened, native.opened]).toEqual([0, 0]);
    expect(guards.lock.busy).toBe(false);
  });

  it('a held lock refuses at once, before the allowance is touched', async () => {
    const lock = new OperationLock();
    let taken = 0;
    const guards: PinGuards = { lock, takeDialog: async () => void taken++ };
    const native = host();
    const first = runPinOperation(guards, io(native, fakePrompt(['hang']), []), { ...login, timeoutMs: 200 });
    await expect(runPinOperation(guards, io(native, fakePrompt([]), []), login)).rejects.toMatchObject({ code: 'ERR_JPKI_ACTION_PENDING' });
    await expect(first).rejects.toMatchObject({ code: 'ERR_JPKI_USER_TIMEOUT' });
    expect(taken).toBe(1);
  });

  it('the requesting tab going ends the dialog: USER_CANCELLED, window and port closed once, watch disposed', async () => {
    const native = host();
    const prompt = fakePrompt(['hang']);
    let leave: (error: JpkiError) => void = () => {};
    let disposed = 0;
    const guards: PinGuards = {
      lock: new OperationLock(),
      takeDialog: async () => {},
      watchTab: () => ({ gone: new Promise<never>((_, reject) => (leave = reject)), dispose: () => void disposed++ }),
    };
    const operation = runPinOperation(guards, io(native, prompt, []), login);
    await expect.poll(() => prompt.states.length).toBe(1); // the dialog is up and asking
    leave(new JpkiError('ERR_JPKI_USER_CANCELLED'));
    await expect(operation).rejects.toMatchObject({ code: 'ERR_JPKI_USER_CANCELLED' });
    await afterTheAnswer();
    await afterTheAnswer();
    expect([prompt.closed, native.opened, native.closed, disposed]).toEqual([1, 1, 1, 1]);
  });
});
