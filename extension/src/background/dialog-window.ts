/**
 * The PIN dialog as its own extension window (never the page's DOM, which the page controls).
 * Lifetime: opened once per operation, kept across wrong-PIN retries, closed by the background
 * when the operation ends on any path. The window talks back over a Port named with a random
 * operation id; the port disconnecting (window closed by the user) is a cancel.
 */
import { type Runtime, browser } from '../lib/browser.ts';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { type BackgroundToDialog, DIALOG_PORT_PREFIX, type DialogState, type DialogToBackground } from '../dialog-protocol.ts';
import type { PinPrompt, PromptAnswer } from './pin-prompt.ts';

const WIDTH = 480;
/** Fits a 1366×768 screen with the browser's title bar and the desktop's panel (docs/screenshots). */
const HEIGHT = 640;
const CONNECT_TIMEOUT_MS = 15_000;

type Waiter = (port: Runtime.Port) => void;
const waiting = new Map<string, Waiter>();
/** The windows openDialogWindow made that are still open (front-tab.ts lets them hold the focus). */
const dialogWindows = new Set<number>();

export function isDialogWindow(windowId: number): boolean {
  return dialogWindows.has(windowId);
}

/** Installed once by the background's main: routes dialog ports to their operation. */
export function listenForDialogs(): void {
  browser.runtime.onConnect.addListener((port) => {
    if (!port.name.startsWith(DIALOG_PORT_PREFIX)) return;
    // Only our own extension pages can connect (no externally_connectable); check anyway.
    if (port.sender?.id !== browser.runtime.id) return port.disconnect();
    const waiter = waiting.get(port.name.slice(DIALOG_PORT_PREFIX.length));
    if (!waiter) return port.disconnect();
    waiter(port);
  });
}

export async function openDialogWindow(): Promise<PinPrompt> {
  const op = crypto.randomUUID();
  const connected = new Promise<Runtime.Port>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(op);
      reject(new JpkiError('ERR_JPKI_UNKNOWN', 'The PIN dialog did not open.'));
    }, CONNECT_TIMEOUT_MS);
    waiting.set(op, (port) => {
      clearTimeout(timer);
      waiting.delete(op);
      resolve(port);
    });
  });
  const window = await browser.windows.create({
    type: 'popup',
    url: browser.runtime.getURL(`/dialog.html?op=${op}`),
    width: WIDTH,
    height: HEIGHT,
    focused: true,
  });
  const windowId = window?.id;
  if (windowId !== undefined) {
    dialogWindows.add(windowId);
    const forget = (removed: number) => {
      if (removed !== windowId) return;
      dialogWindows.delete(windowId);
      browser.windows.onRemoved.removeListener(forget);
    };
    browser.windows.onRemoved.addListener(forget);
  }
  let port: Runtime.Port;
  try {
    port = await connected;
  } catch (error) {
    if (windowId !== undefined) void browser.windows.remove(windowId).catch(() => {});
    throw error;
  }
  return new DialogWindowPrompt(port, windowId);
}

class DialogWindowPrompt implements PinPrompt {
  private answer: ((answer: PromptAnswer) => void) | null = null;
  private gone = false;

  constructor(
    private readonly port: Runtime.Port,
    private readonly windowId: number | undefined,
  ) {
    port.onMessage.addListener((message: unknown) => this.onMessage(message as DialogToBackground));
    port.onDisconnect.addListener(() => {
      this.gone = true;
      this.resolve({ type: 'cancel' });
    });
  }

  ask(state: DialogState): Promise<PromptAnswer> {
    if (this.gone) return Promise.resolve({ type: 'cancel' });
    return new Promise<PromptAnswer>((resolve) => {
      this.answer = resolve;
      this.show(state);
    });
  }

  show(state: DialogState): void {
    if (!this.gone) this.port.postMessage({ type: 'state', state } satisfies BackgroundToDialog);
  }

  close(): void {
    this.answer = null;
    if (!this.gone) {
      this.gone = true;
      this.port.disconnect();
    }
    if (this.windowId !== undefined) void browser.windows.remove(this.windowId).catch(() => {});
  }

  private onMessage(message: DialogToBackground): void {
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'pin' && typeof message.pin === 'string') {
      this.resolve({ type: 'pin', pin: message.pin, confirmLastTry: message.confirmLastTry === true });
    } else if (message.type === 'cancel' || message.type === 'close' || message.type === 'retry' || message.type === 'extend') {
      this.resolve({ type: message.type });
    }
  }

  private resolve(answer: PromptAnswer): void {
    const resolve = this.answer;
    this.answer = null;
    resolve?.(answer);
  }
}
