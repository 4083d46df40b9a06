/**
 * Origins (docs/PROTOCOL.md). The origin always comes from the browser (MessageSender), never
 * from the page; these checks make sure what reaches the host is a bare, servable origin.
 */

export const MAX_ORIGIN_LENGTH = 255;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
/** A DNS name (IDNs arrive as punycode), an IPv4 address, or a bracketed IPv6 address. */
const HOSTNAME = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/;

/**
 * True for `https://host[:port]` and `http://localhost[:port]`, `http://127.0.0.1[:port]`,
 * written exactly as the browser serializes an origin: lowercase, no path, no default port,
 * no credentials, query or fragment.
 */
export function isValidOrigin(origin: unknown): origin is string {
  if (typeof origin !== 'string' || origin.length === 0 || origin.length > MAX_ORIGIN_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false; // rejects paths, trailing slashes, default ports, uppercase
  // WHATWG URLs allow `*`, `!`, `$` … in a host; no site has one, and `https://*.example.jp` typed
  // into the allow-list must not pass as an origin that silently never matches.
  if (!HOSTNAME.test(url.hostname)) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  return url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
}

/** The origin of a sender URL, or null when it is not one we serve. */
export function originOfUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return isValidOrigin(origin) ? origin : null;
  } catch {
    return null;
  }
}

/**
 * Does `origin` match an allow-list pattern? A pattern is an origin (`https://example.jp`)
 * or a wildcard `*.example.jp`, which matches https on that domain and every subdomain.
 */
export function originMatchesPattern(origin: string, pattern: string): boolean {
  if (!isValidOrigin(origin)) return false;
  const host = new URL(origin).hostname;
  if (pattern.startsWith('*.')) {
    const domain = pattern.slice(2).toLowerCase();
    return origin.startsWith('https://') && (host === domain || host.endsWith(`.${domain}`));
  }
  return origin === pattern;
}

export function isOriginAllowed(origin: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => originMatchesPattern(origin, pattern));
}

/**
 * The portal allow-list preset: the exact origins of the services known to speak the portal
 * protocol, and no wildcard — the surface signs a page-supplied digest with the authentication
 * key, so every other government or municipal host (or an XSS on one) stays off it until the
 * user adds it. Which service each origin is, and the source: docs/portal-sites.md.
 */
export const DEFAULT_PORTAL_ALLOW_LIST: readonly string[] = ['https://myna.go.jp', 'https://clientweb.e-tax.nta.go.jp', 'https://www.keisan.nta.go.jp'];

/** A user-entered allow-list pattern is an origin or `*.` + a domain. */
export function isValidAllowListPattern(pattern: unknown): pattern is string {
  if (typeof pattern !== 'string' || pattern.length > MAX_ORIGIN_LENGTH) return false;
  if (pattern.startsWith('*.')) return /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(pattern.slice(2));
  return isValidOrigin(pattern);
}
