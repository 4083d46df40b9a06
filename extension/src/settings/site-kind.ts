/**
 * What the dialog's badge may truly say about an origin (dialog-protocol.ts SiteKind): a preset
 * government portal still on the allow-list, a site the user added to it, or a development origin —
 * the loopback host a developer runs a relying party on, which is never called a public service
 * even if a list names it.
 */
import { DEFAULT_PORTAL_ALLOW_LIST, originMatchesPattern } from '@jpki-bridge/shared/origin';
import type { SiteKind } from '../dialog-protocol.ts';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isDevelopmentOrigin(origin: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

export function siteKind(origin: string, allowList: readonly string[]): SiteKind {
  if (isDevelopmentOrigin(origin)) return 'development';
  const matching = allowList.filter((pattern) => originMatchesPattern(origin, pattern));
  if (matching.some((pattern) => DEFAULT_PORTAL_ALLOW_LIST.includes(pattern))) return 'preset';
  return matching.length > 0 ? 'added' : 'other';
}

/** Whether the origin is one of the preset portals (the dialog asks twice before blocking one). */
export function isPresetPortal(origin: string): boolean {
  return DEFAULT_PORTAL_ALLOW_LIST.some((pattern) => originMatchesPattern(origin, pattern));
}
