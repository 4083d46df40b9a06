/** The one place that calls `runtime.connectNative` (Web eID's NativeAppService pattern). */
import { browser } from '../../lib/browser.ts';
import { NATIVE_HOST_NAME } from '@jpki-bridge/shared/constants';
import type { NativeChannel } from './channel.ts';

type LastErrorHolder = { runtime?: { lastError?: { message?: string } } };

export function connectBrowserNative(): NativeChannel {
  const port = browser.runtime.connectNative(NATIVE_HOST_NAME);
  return {
    send: (message) => port.postMessage(message),
    close: () => port.disconnect(),
    onMessage: (listener) => port.onMessage.addListener((message: unknown) => listener(message)),
    onDisconnect: (listener) =>
      port.onDisconnect.addListener((p) => {
        // Firefox sets port.error; Chromium sets runtime.lastError, readable only in this callback.
        const chrome = (globalThis as { chrome?: LastErrorHolder }).chrome;
        const reason = (p as { error?: { message?: string } | null }).error?.message ?? chrome?.runtime?.lastError?.message;
        listener(reason);
      }),
  };
}
