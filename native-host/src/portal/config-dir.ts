/**
 * The user's configuration directory for jpki-bridge, as a pure function of (os, env): XDG on
 * Linux ($XDG_CONFIG_HOME, only when absolute as the XDG spec says, else ~/.config), Application
 * Support on macOS, %APPDATA% on Windows.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export type ConfigOs = 'linux' | 'darwin' | 'win32';

export interface ConfigEnv {
  home: string;
  xdgConfigHome?: string;
  /** Windows: %APPDATA% (default: <home>\AppData\Roaming). */
  appData?: string;
}

export const CONFIG_DIR_NAME = 'jpki-bridge';

export function configDir(os: ConfigOs, env: ConfigEnv): string {
  if (os === 'win32') return win32.join(env.appData || win32.join(env.home, 'AppData', 'Roaming'), CONFIG_DIR_NAME);
  if (os === 'darwin') return posix.join(env.home, 'Library', 'Application Support', CONFIG_DIR_NAME);
  const xdg = env.xdgConfigHome && posix.isAbsolute(env.xdgConfigHome) ? env.xdgConfigHome : posix.join(env.home, '.config');
  return posix.join(xdg, CONFIG_DIR_NAME);
}

/** This process's configuration directory. */
export function currentConfigDir(): string {
  const os: ConfigOs = process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux';
  return configDir(os, { home: homedir(), xdgConfigHome: process.env.XDG_CONFIG_HOME, appData: process.env.APPDATA });
}
