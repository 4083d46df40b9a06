/**
 * What a Windows 10/11 browser tells a site about its OS, for the pages that refuse any other
 * (docs/portal-sites.md): the user agent's platform token, the client hints' platform and version,
 * `navigator.platform`. Pure, shared by the page-world script (main-world/present-windows.ts) and
 * the request-header rules (background/os-presentation.ts), so both say exactly the same.
 */
export const WINDOWS = {
  /** The user agent's platform token of 64-bit Windows 10 and 11 (11 kept 10's). */
  token: 'Windows NT 10.0; Win64; x64',
  /** `navigator.userAgentData.platform`, and `Sec-CH-UA-Platform` unquoted. */
  platform: 'Windows',
  /** `getHighEntropyValues` `platformVersion`, and `Sec-CH-UA-Platform-Version` unquoted: Windows 10. */
  platformVersion: '10.0.0',
  /** `navigator.platform` on every Windows browser. */
  navigatorPlatform: 'Win32',
  /** Firefox's `navigator.appVersion` on Windows: it names the OS family only (`5.0 (X11)` on Linux). */
  firefoxAppVersion: '5.0 (Windows)',
} as const;

/**
 * The same user agent with its platform (the first parenthesised group) replaced by Windows',
 * keeping Firefox's `rv:` token: `(X11; Linux x86_64)` → `(Windows NT 10.0; Win64; x64)`,
 * `(X11; Linux x86_64; rv:128.0)` → `(Windows NT 10.0; Win64; x64; rv:128.0)`.
 */
export function windowsUserAgent(userAgent: string): string {
  return userAgent.replace(/\(([^)]*)\)/, (_group, inside: string) => {
    const rv = inside.split(/;\s*/).find((token) => token.startsWith('rv:'));
    return `(${WINDOWS.token}${rv ? `; ${rv}` : ''})`;
  });
}

/** The systems whose browsers portal pages accept as they are (runtime.getPlatformInfo's `os`). */
export function presentsItself(os: string): boolean {
  return os === 'win' || os === 'mac';
}
