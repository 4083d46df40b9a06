/**
 * The PIN dialog opens at once, before the host has started (it starts once the window is up) or
 * the card has answered, and the card rules still come before any PIN is sent — proved through
 * the background as installed (startBackground, the real dialog window over a runtime Port, the
 * dialog page's connection) against WXT's fakeBrowser, with a native host whose `status` answer
 * the test holds back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Runtime } from 'webextension-polyfill';
import { startBackground } from '../../extension/src/background/main.ts';
import { connectDialog, type DialogConnection } from '../../extension/src/dialog/connection.ts';
import type { DialogState } from '../../extension/src/dialog-protocol.ts';
import type { StatusResult } from '@jpki-bridge/shared/protocol/native';
import { statusResult } from '../unit/extension-fakes/fake-native.ts';
import { afterTheAnswer } from '../unit/extension-fakes/fake-prompt.ts';
import { putTabInFront } from './front-tab-fakes.ts';
import { installRuntimePorts } from './runtime-ports.ts';
import { NONCE, TOKEN } from '../unit/extension-fakes/fake-context.ts';

// Chromium's sender.origin is not in the polyfill's type.
const CONTENT_SCRIPT = {
  id: fakeBrowser.runtime.id,
  url: 'https://rp.example/login',
  origin: 'https://rp.example',
  tab: { id: 7, index: 0, highlighted: false, active: true, pinned: false, incognito: false },
  frameId: 0,
} as Runtime.MessageSender;

/**
 * A native host behind `runtime.connectNative`: says hello at once, answers `status` only when the
 * test calls `answerStatus`, and answers `authenticate` with a token. Records every request and
 * how often the background closed its port.
 */
function heldHost() {
  const requests: Array<{ command: string; arguments: Record<string, unknown> }> = [];
  let closed = 0;
  let answerStatus!: (status: StatusResult) => void;
  const status = new Promise<StatusResult>((resolve) => (answerStatus = resolve));
  const connectNative = vi.fn(() => {
    const onMessage: Array<(m: unknown) => void> = [];
    const reply = (message: unknown) =>
      queueMicrotask(() => {
        for (const listener of onMessage) listener(message);
      });
    setTimeout(() => reply({ type: 'hello', version: '0.1.0', protocol: 1 }), 0);
    return {
      postMessage(message: { id: number; command: string; arguments: Record<string, unknown> }) {
        requests.push({ command: message.command, arguments: message.arguments });
        if (message.command === 'status') void status.then((result) => reply({ id: message.id, result }));
        else reply({ id: message.id, result: TOKEN });
      },
      disconnect() {
        closed++;
      },
      onMessage: { addListener: (l: (m: unknown) => void) => void onMessage.push(l) },
      onDisconnect: { addListener() {} },
    };
  });
  vi.spyOn(fakeBrowser.runtime, 'connectNative').mockImplementation(connectNative as never);
  return { requests, answerStatus, commands: () => requests.map((r) => r.command), closed: () => closed };
}

let create: ReturnType<typeof vi.spyOn>;
let windowClose: ReturnType<typeof vi.fn>;
let ports: ReturnType<typeof installRuntimePorts>;

beforeEach(async () => {
  fakeBrowser.reset();
  ports = installRuntimePorts();
  await putTabInFront(7); // the page asking is in the tab in front (front-tab.ts)
  create = vi.spyOn(fakeBrowser.windows, 'create');
  windowClose = vi.fn();
  vi.stubGlobal('window', { close: windowClose });
});
afterEach(async () => {
  // The window closes after the page's answer (after-answer.ts): its page's window.close() comes
  // once the test is over, and must still find the stubbed window.
  await afterTheAnswer();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The page's `jpki:authenticate`, as the content script sends it after the user's click. */
function authenticate(): Promise<unknown> {
  const message = { channel: 'page', action: 'jpki:authenticate', request: { challengeNonce: NONCE }, origin: 'https://rp.example', active: true };
  return fakeBrowser.runtime.onMessage.trigger(message, CONTENT_SCRIPT).then((answers) => answers[0]);
}

/** The dialog page of the window the background opened: its connection and every state it was shown. */
async function dialogPage(): Promise<{ dialog: DialogConnection; states: DialogState[] }> {
  await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
  vi.stubGlobal('location', new URL((create.mock.calls[0]![0] as { url: string }).url));
  const dialog = connectDialog();
  const states: DialogState[] = [];
  dialog.onState((state) => states.push(state));
  await vi.waitFor(() => expect(states.length).toBeGreaterThan(0));
  return { dialog, states };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('the PIN dialog before the card has answered', () => {
  it('opens while status is still unanswered, asking in the checking phase with the tries left unknown', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    const { states } = await dialogPage();
    expect(states[0]).toMatchObject({ phase: 'checking', retriesLeft: null, error: null, origin: 'https://rp.example' });
    await vi.waitFor(() => expect(host.commands()).toEqual(['status']));
    // The card's answer fills in the same question: same attempt, so the typed text is kept.
    host.answerStatus(statusResult({ auth: 3, sign: 5 }));
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ phase: 'enter', retriesLeft: 3, attempt: states[0]!.attempt }));
    void call;
  });

  it('starts the host only once the window is up, so that its start-up does not slow the first paint', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    await tick();
    expect(fakeBrowser.runtime.connectNative).not.toHaveBeenCalled();
    await dialogPage();
    await vi.waitFor(() => expect(host.commands()).toEqual(['status']));
    expect(fakeBrowser.runtime.connectNative).toHaveBeenCalledTimes(1);
    void call;
  });

  it('a PIN submitted before the status is held, and sent only once the status allows it', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    const { dialog } = await dialogPage();
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: false });
    await tick();
    expect(host.commands()).toEqual(['status']);
    host.answerStatus(statusResult({ auth: 3, sign: 5 }));
    expect(await call).toEqual({ ok: true, result: TOKEN });
    expect(host.commands()).toEqual(['status', 'authenticate']);
    expect(host.requests[1]!.arguments).toMatchObject({ pin: '1234' });
    expect(host.requests[1]!.arguments).not.toHaveProperty('confirmLastTry');
  });

  it('on the last try a PIN submitted before the status is dropped unsent, and the confirmation is asked for', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    const { dialog, states } = await dialogPage();
    // A dialog that claims confirmation while it was never shown the last-try state gets none.
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: true });
    await tick();
    host.answerStatus(statusResult({ auth: 1, sign: 5 }));
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ phase: 'confirm-last-try', retriesLeft: 1, error: { code: 'ERR_JPKI_PIN_LAST_TRY' } }));
    expect(states.at(-1)!.attempt).toBeGreaterThan(states[0]!.attempt); // a new question: the field is cleared
    await tick();
    expect(host.commands()).toEqual(['status']);
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: true });
    expect(await call).toEqual({ ok: true, result: TOKEN });
    expect(host.requests[1]!.arguments).toMatchObject({ pin: '1234', confirmLastTry: true });
  });

  it('a locked PIN is refused: the held PIN never reaches the host, the dialog explains, the page gets PIN_LOCKED', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    const { dialog, states } = await dialogPage();
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: false });
    await tick();
    host.answerStatus(statusResult({ auth: 0, sign: 5 }));
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ phase: 'locked', retriesLeft: 0, error: { code: 'ERR_JPKI_PIN_LOCKED' } }));
    // A tampered dialog insisting with a PIN is still not heard.
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: true });
    expect(await call).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_PIN_LOCKED' } });
    expect(host.commands()).toEqual(['status']);
  });

  it('no card shows in the open window, and the page gets NO_CARD when the user closes it', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    const { dialog, states } = await dialogPage();
    host.answerStatus({ ...statusResult(), card: null });
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ phase: 'failed', error: { code: 'ERR_JPKI_NO_CARD' } }));
    dialog.send({ type: 'close' });
    expect(await call).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NO_CARD' } });
    expect(host.commands()).toEqual(['status']);
  });

  it('a cancel while the card is still being checked answers USER_CANCELLED, then closes the host and the window, and the late status changes nothing', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    const { dialog, states } = await dialogPage();
    expect(states.at(-1)).toMatchObject({ phase: 'checking' });
    dialog.send({ type: 'cancel' });
    expect(await call).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_CANCELLED' } });
    // After the answer: the background closes the window's port (the dialog page then closes itself) and the host's.
    await vi.waitFor(() => expect(windowClose).toHaveBeenCalled());
    await vi.waitFor(() => expect(host.closed()).toBeGreaterThan(0));
    host.answerStatus(statusResult({ auth: 3, sign: 5 }));
    await tick();
    expect(states.at(-1)).toMatchObject({ phase: 'checking' });
    expect(host.commands()).not.toContain('authenticate');
  });

  it('the user closing the window while the card is still being checked is a cancel too', async () => {
    const host = heldHost();
    startBackground();
    const call = authenticate();
    await dialogPage();
    await vi.waitFor(() => expect(host.commands()).toEqual(['status']));
    ports.connecting.at(-1)!.disconnect(); // the window's end of the port goes with the window
    expect(await call).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_USER_CANCELLED' } });
    await vi.waitFor(() => expect(host.closed()).toBeGreaterThan(0));
    expect(host.commands()).toEqual(['status']);
  });

  it('no host installed shows NATIVE_UNAVAILABLE in the window, and a PIN typed anyway goes nowhere', async () => {
    vi.spyOn(fakeBrowser.runtime, 'connectNative').mockImplementation((() => {
      throw new Error('Specified native messaging host not found.');
    }) as never);
    startBackground();
    const call = authenticate();
    const { dialog, states } = await dialogPage();
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ phase: 'failed', error: { code: 'ERR_JPKI_NATIVE_UNAVAILABLE' } }));
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: false });
    expect(await call).toMatchObject({ ok: false, error: { code: 'ERR_JPKI_NATIVE_UNAVAILABLE' } });
  });
});
