/**
 * The dialog's end of its Port to the background (see dialog-protocol.ts). The port is opened
 * before the UI is ready (the background waits for it), so the latest state is kept here and
 * handed to the UI when it subscribes.
 */
import { browser } from '../lib/browser.ts';
import { type BackgroundToDialog, DIALOG_PORT_PREFIX, type DialogState, type DialogToBackground } from '../dialog-protocol.ts';

export interface DialogConnection {
  onState(listener: (state: DialogState) => void): void;
  send(message: DialogToBackground): void;
}

export function connectDialog(): DialogConnection {
  const op = new URLSearchParams(location.search).get('op') ?? '';
  const port = browser.runtime.connect({ name: `${DIALOG_PORT_PREFIX}${op}` });
  let latest: DialogState | null = null;
  let listener: ((state: DialogState) => void) | null = null;
  port.onMessage.addListener((message: unknown) => {
    const m = message as BackgroundToDialog;
    if (m?.type !== 'state') return;
    latest = m.state;
    listener?.(m.state);
  });
  // The background ends the operation by closing the port (and the window).
  port.onDisconnect.addListener(() => window.close());
  return {
    onState: (l) => {
      listener = l;
      if (latest) l(latest);
    },
    send: (message) => port.postMessage(message),
  };
}
