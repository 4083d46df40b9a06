/** What the actions need from the outside world; the background's main supplies the real ones, tests fakes. */
import type { DialogRateLimit } from './dialog-rate-limit.ts';
import type { HostVersionCache } from './host-version-cache.ts';
import type { NativeConnector } from './native/channel.ts';
import type { OperationLock } from './operation-lock.ts';
import type { OpenPrompt } from './pin-prompt.ts';

export interface BackgroundContext {
  connect: NativeConnector;
  openPrompt: OpenPrompt;
  lock: OperationLock;
  /** The portal allow-list patterns (storage, else the preset). */
  allowList(): Promise<readonly string[]>;
  /** Whether the user blocked this origin from the PIN dialog (settings/block-list.ts). */
  isBlocked(origin: string): Promise<boolean>;
  /** PIN dialogs per origin and minute (dialog-rate-limit.ts); each PIN operation takes one as its dialog opens. */
  dialogLimit: DialogRateLimit;
  extensionVersion: string;
  /** Reuses the host's hello for `jpki:status` (absent: every call asks the host). */
  hostVersionCache?: HostVersionCache;
  /** The tab whose page asked (set per request by the router). */
  requesterTab?: number;
  /** Whether that tab is the active tab of the focused window (front-tab.ts; absent: not checked). */
  isFrontTab?(tabId: number): Promise<boolean>;
  /**
   * Rejects with USER_CANCELLED when that tab closes or loads another page, so that a dialog
   * never outlives the page it answers; `dispose` stops watching.
   */
  watchTab?(tabId: number): { gone: Promise<never>; dispose(): void };
  /** Overrides for tests (milliseconds). */
  helloTimeoutMs?: number;
  requestTimeoutMs?: number;
}
