/**
 * Messages between the extension's own parts (content script, pages → background). Types only:
 * the content script must stay tiny, so nothing here may pull code into it.
 *
 * Every answer is an Outcome: errors cross `runtime.sendMessage` as their wire form
 * (SerializedError) inside a resolved value, never as a rejection, because a rejected promise
 * loses its fields between contexts. Each side rebuilds a JpkiError with deserializeError.
 */
import type { SerializedError } from '@jpki-bridge/shared/errors';
import type { PageAction } from '@jpki-bridge/shared/operations';
import type { PinKind } from '@jpki-bridge/shared/policy';
import type { StatusResult } from '@jpki-bridge/shared/protocol/native';

export type Outcome<T = Record<string, unknown>> = { ok: true; result: T } | { ok: false; error: SerializedError };

/**
 * What the content script itself saw of the page, sent with every request (never read from the
 * page's data): its document's `window.origin`, which the background compares with the
 * sender's (background/sender.ts), and, for requests, the user's activation in the page
 * (background/user-activation.ts) — transient `isActive` on the `jpki:*` API, sticky
 * `hasBeenActive` on the portal surface.
 */
export interface SeenByContentScript {
  origin: string;
}
export interface ActivationSeen {
  active: boolean | undefined;
}

/** content script → background: a `jpki:*` request, fields already copied out of the page's object. */
export interface PageMessage extends SeenByContentScript, ActivationSeen {
  channel: 'page';
  action: PageAction;
  request: Record<string, unknown>;
}

/** content script → background: may this page use the portal surface? */
export interface PortalHelloMessage extends SeenByContentScript {
  channel: 'portal-hello';
}
export interface PortalHelloAnswer {
  allowed: boolean;
  /** The page's hidden inputs to set, by element id → value (none when not allowed). */
  inputs: Partial<Record<'extension-is-installed' | 'app-is-installed', string>>;
}

/**
 * content script → background: a `launchApp` detail, JSON-parsed once by the content script
 * (undefined when it was not JSON); still untrusted, read by the background's schemas.
 */
export interface PortalMessage extends SeenByContentScript, ActivationSeen {
  channel: 'portal';
  detail: unknown;
}

/** extension pages (popup, options) → background. */
export type UiMessage =
  | { channel: 'ui'; command: 'host-status' }
  | { channel: 'ui'; command: 'change-pin'; kind: PinKind; pin: string; newPin: string; confirmLastTry?: boolean }
  /** The signing certificate, for the popup to show (never store): the card gives it only after the signing PIN. */
  | { channel: 'ui'; command: 'show-signing-certificate'; pin: string; confirmLastTry?: boolean };

/** background → popup: the answer to `host-status`, the host's full `status` with both versions. */
export type HostStatus = StatusResult & { hostVersion: string; extensionVersion: string };
