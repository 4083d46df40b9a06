/**
 * The seam between the background and `runtime.connectNative`. Only browser-channel.ts
 * implements it with the real API; tests hand NativeAppService a fake.
 */
export interface NativeChannel {
  send(message: object): void;
  close(): void;
  onMessage(listener: (message: unknown) => void): void;
  /** `reason` is the browser's lastError text (e.g. "Specified native messaging host not found."). */
  onDisconnect(listener: (reason: string | undefined) => void): void;
}

export type NativeConnector = () => NativeChannel;
