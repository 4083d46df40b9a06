/** Which installed manifest the browser would use: --user-data-dir's, else the first per browser (user, then system). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Browser, BROWSERS, installTarget, type Os } from '../install/paths.ts';

export interface FoundManifest {
  path: string;
  browser: Browser;
}

/** `systemPath` maps a system-wide path onto the machine doctor examines (a simulated root in tests). */
export function findManifests(options: { userDataDir?: string; browser?: Browser | 'all'; os: Os; systemPath?: (path: string) => string }): {
  found: FoundManifest[];
  searched: string[];
} {
  const systemPath = options.systemPath ?? ((path: string) => path);
  const browsers: readonly Browser[] = !options.browser || options.browser === 'all' ? BROWSERS : [options.browser];
  if (options.userDataDir) {
    const path = join(options.userDataDir, 'NativeMessagingHosts', 'jpki_bridge.json');
    const browser = options.browser && options.browser !== 'all' ? options.browser : 'chromium';
    return { found: existsSync(path) ? [{ path, browser }] : [], searched: [path] };
  }
  const env = { home: homedir(), localAppData: process.env.LOCALAPPDATA, appData: process.env.APPDATA, programData: process.env.ProgramData };
  const found: FoundManifest[] = [];
  const searched: string[] = [];
  for (const browser of browsers) {
    for (const scope of ['user', 'system'] as const) {
      const target = installTarget(options.os, browser, scope, env).manifestPath;
      const path = scope === 'system' ? systemPath(target) : target;
      searched.push(path);
      if (existsSync(path)) {
        found.push({ path, browser });
        break;
      }
    }
  }
  return { found, searched };
}
