/**
 * Who is asking. The origin comes from the browser's MessageSender, never from the page:
 * `sender.origin` (Chromium), else the origin of `sender.url` (Firefox). Only servable origins
 * (https, http://localhost, http://127.0.0.1) are returned. Our content script also reports its
 * document's `window.origin`, which must be the same: Firefox gives no `sender.origin`, and a
 * document with an opaque origin (CSP `sandbox`) still has its site's URL.
 */
import { isValidOrigin, originOfUrl } from '@jpki-bridge/shared/origin';

export interface SenderLike {
  id?: string;
  origin?: string;
  url?: string;
  tab?: unknown;
  frameId?: number;
}

export function originOfSender(sender: SenderLike): string | null {
  // 'null' is an opaque origin (a sandboxed document): its URL names a site it does not speak for.
  if (typeof sender.origin === 'string') return isValidOrigin(sender.origin) ? sender.origin : null;
  return originOfUrl(sender.url);
}

/**
 * The origin of a content script's request: the sender's, and only when the `window.origin` the
 * script reported with the request is exactly that (never `"null"`, the opaque origin).
 */
export function originOfRequest(sender: SenderLike, reported: unknown): string | null {
  const origin = originOfSender(sender);
  return origin !== null && reported === origin ? origin : null;
}

/** A message from this extension's own pages (popup, options, dialog), whether in a tab or not. */
export function isExtensionPage(sender: SenderLike, extensionId: string, extensionBaseUrl: string): boolean {
  if (sender.id !== extensionId) return false;
  return typeof sender.url === 'string' && sender.url.startsWith(extensionBaseUrl);
}

/** A content script of this extension in a web page's top frame. */
export function isContentScript(sender: SenderLike, extensionId: string, extensionBaseUrl: string): boolean {
  if (sender.id !== extensionId || !sender.tab) return false;
  if (sender.frameId !== undefined && sender.frameId !== 0) return false;
  return !(typeof sender.url === 'string' && sender.url.startsWith(extensionBaseUrl));
}
