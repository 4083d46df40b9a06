/**
 * The PIN dialog window (dialog-window.ts, the background's end) and the dialog page's end
 * (dialog/connection.ts) against WXT's `fakeBrowser` windows, joined by a runtime Port
 * (runtime-ports.ts: fakeBrowser has no runtime.connect). One popup window per operation,
 * closed by the background on every path; the user closing it is a cancel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Runtime } from 'webextension-polyfill';
import { listenForDialogs, openDialogWindow } from '../../extension/src/background/dialog-window.ts';
import { connectDialog } from '../../extension/src/dialog/connection.ts';
import type { DialogState } from '../../extension/src/dialog-protocol.ts';
import type { PromptAnswer } from '../../extension/src/background/pin-prompt.ts';
import { installRuntimePorts } from './runtime-ports.ts';

const STATE: DialogState = {
  origin: 'https://rp.example',
  use: 'authenticate',
  kind: 'auth',
  site: 'other',
  count: 0,
  retriesLeft: 3,
  maxTries: 3,
  phase: 'enter',
  error: null,
  retryable: false,
  deadline: 0,
  extensionsLeft: 2,
  attempt: 0,
};

let ports: ReturnType<typeof installRuntimePorts>;
let senderFor: ((name: string) => Runtime.MessageSender) | undefined;
let create: ReturnType<typeof vi.spyOn>;
let removed: number[];
let windowClose: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fakeBrowser.reset();
  senderFor = undefined;
  ports = installRuntimePorts({ sender: (name) => senderFor?.(name) ?? { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/dialog.html') } });
  create = vi.spyOn(fakeBrowser.windows, 'create'); // calls through: the window really exists in fakeBrowser
  removed = [];
  fakeBrowser.windows.onRemoved.addListener((id: number) => void removed.push(id));
  windowClose = vi.fn();
  vi.stubGlobal('window', { close: windowClose });
  listenForDialogs();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** The URL the background opened, once windows.create has been called. */
async function openedUrl(): Promise<URL> {
  await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
  return new URL((create.mock.calls[0]![0] as { url: string }).url);
}

/** Opens the dialog as the browser would: the window's page loads and connects its port. */
async function open() {
  const opening = openDialogWindow();
  const url = await openedUrl();
  vi.stubGlobal('location', url);
  const dialog = connectDialog();
  const prompt = await opening;
  const windowId = (await create.mock.results[0]!.value).id as number;
  return { prompt, dialog, windowId, dialogPort: ports.connecting.at(-1)! };
}

const pending = Symbol('pending');
const settled = <T>(p: Promise<T>) => Promise.race([p, new Promise<typeof pending>((r) => setTimeout(() => r(pending), 20))]);

describe('dialog window', () => {
  it('is one focused popup window showing this extension’s dialog.html for one operation id', async () => {
    const { windowId } = await open();
    expect(create).toHaveBeenCalledTimes(1);
    const url = await openedUrl();
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(`chrome-extension://${fakeBrowser.runtime.id}/dialog.html`);
    expect(url.searchParams.get('op')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await fakeBrowser.windows.get(windowId)).toMatchObject({ type: 'popup', width: 480, height: 640, focused: true });
    expect(ports.connecting[0]!.name).toBe(`pin-dialog:${url.searchParams.get('op')}`);
  });

  it('two operations get two windows with different operation ids', async () => {
    const first = await open();
    create.mockClear();
    const second = await open();
    expect(second.windowId).not.toBe(first.windowId);
    expect(second.dialogPort.name).not.toBe(first.dialogPort.name);
  });

  it('the state reaches the dialog page and the PIN comes back to the background', async () => {
    const { prompt, dialog } = await open();
    const shown: DialogState[] = [];
    dialog.onState((state) => shown.push(state));
    const answer = prompt.ask(STATE);
    await vi.waitFor(() => expect(shown).toEqual([STATE]));
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: false });
    expect(await answer).toEqual({ type: 'pin', pin: '1234', confirmLastTry: false });
  });

  it('the window is kept across retries: a second ask uses the same window and port', async () => {
    const { prompt, dialog, windowId } = await open();
    const shown: DialogState[] = [];
    dialog.onState((state) => shown.push(state));
    const first = prompt.ask(STATE);
    dialog.send({ type: 'pin', pin: '0000', confirmLastTry: false });
    await first;
    const retry = { ...STATE, retriesLeft: 1, phase: 'confirm-last-try' as const, error: { code: 'ERR_JPKI_PIN_INCORRECT' as const, retriesLeft: 1 } };
    const second = prompt.ask(retry);
    await vi.waitFor(() => expect(shown.at(-1)).toEqual(retry));
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: true });
    expect(await second).toEqual({ type: 'pin', pin: '1234', confirmLastTry: true });
    expect(create).toHaveBeenCalledTimes(1);
    expect(await fakeBrowser.windows.get(windowId)).toBeDefined();
  });

  it('confirmLastTry is true only when the dialog sent exactly true', async () => {
    const { prompt, dialog } = await open();
    const answer = prompt.ask(STATE);
    dialog.send({ type: 'pin', pin: '1234', confirmLastTry: 'yes' as unknown as boolean });
    expect(await answer).toMatchObject({ confirmLastTry: false });
  });

  it('cancel and close from the dialog are answered as such; malformed messages are ignored', async () => {
    const { prompt, dialog } = await open();
    const cancel = prompt.ask(STATE);
    dialog.send({ type: 'cancel' });
    expect(await cancel).toEqual({ type: 'cancel' });
    const close = prompt.ask({ ...STATE, phase: 'locked' });
    for (const junk of [null, 'pin', { type: 'pin', pin: 1234 }, { type: 'submit' }]) dialog.send(junk as never);
    expect(await settled(close)).toBe(pending);
    dialog.send({ type: 'close' });
    expect(await close).toEqual({ type: 'close' });
  });

  it('close() closes the window and the port (the dialog page closes itself); idempotent', async () => {
    const { prompt, windowId, dialogPort } = await open();
    prompt.close();
    await vi.waitFor(() => expect(removed).toEqual([windowId]));
    expect(await fakeBrowser.windows.get(windowId)).toBeUndefined();
    await vi.waitFor(() => expect(windowClose).toHaveBeenCalledTimes(1));
    expect(dialogPort.disconnected).toBe(true);
    expect(() => prompt.close()).not.toThrow();
    expect(await prompt.ask(STATE)).toEqual({ type: 'cancel' });
  });

  it('the user closing the window is a cancel, for a pending ask and every later one', async () => {
    const { prompt, windowId, dialogPort } = await open();
    const answer = prompt.ask(STATE);
    await fakeBrowser.windows.remove(windowId);
    dialogPort.disconnect(); // the page is gone, and its port with it
    expect(await settled(answer)).toEqual<PromptAnswer | typeof pending>({ type: 'cancel' });
    expect(await prompt.ask(STATE)).toEqual({ type: 'cancel' });
    expect(() => prompt.close()).not.toThrow();
  });

  it('a dialog that never connects fails the operation after 15 s and its window is closed', async () => {
    vi.useFakeTimers();
    const opening = openDialogWindow();
    const failed = expect(opening).rejects.toMatchObject({ code: 'ERR_JPKI_UNKNOWN' });
    await vi.advanceTimersByTimeAsync(14_999);
    expect(removed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await failed;
    const windowId = (await create.mock.results[0]!.value).id as number;
    expect(removed).toEqual([windowId]);
  });

  it('a port for an unknown operation, or from another extension, is disconnected and answers nothing', async () => {
    const opening = openDialogWindow();
    const url = await openedUrl();
    fakeBrowser.runtime.connect({ name: 'pin-dialog:00000000-0000-0000-0000-000000000000' });
    senderFor = () => ({ id: 'other-extension', url: 'chrome-extension://other-extension/dialog.html' });
    fakeBrowser.runtime.connect({ name: `pin-dialog:${url.searchParams.get('op')}` });
    await vi.waitFor(() => expect(ports.connecting.map((p) => p.disconnected)).toEqual([true, true]));
    expect(await settled(opening)).toBe(pending);
    // the genuine dialog still gets through
    senderFor = undefined;
    vi.stubGlobal('location', url);
    connectDialog();
    await expect(opening).resolves.toBeDefined();
  });

  it('ports not named pin-dialog:* are left alone', async () => {
    fakeBrowser.runtime.connect({ name: 'something-else' });
    await new Promise((r) => setTimeout(r, 10));
    expect(ports.connecting[0]!.disconnected).toBe(false);
  });
});
