/**
 * The machine doctor looks at: a root directory (normally `/`; JPKI_BRIDGE_DOCTOR_ROOT points it
 * at a simulated one in tests — sysfs, /snap, Flatpak's folders), the user's home, and the
 * commands it asks (`snap`, `flatpak`, found on PATH, so tests put fakes there).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Machine {
  root: string;
  home: string;
  /** An absolute path on the examined machine (under root). */
  path(absolute: string): string;
  exists(absolute: string): boolean;
  read(absolute: string): string | null;
  /** A directory's entries ([] when it is missing). */
  list(absolute: string): string[];
  /** A command's stdout, or null when it is missing or fails. */
  run(command: string, args: readonly string[]): string | null;
}

export function currentMachine(env: NodeJS.ProcessEnv = process.env): Machine {
  const root = env.JPKI_BRIDGE_DOCTOR_ROOT || '/';
  const path = (absolute: string) => (root === '/' ? absolute : join(root, absolute));
  return {
    root,
    home: homedir(),
    path,
    exists: (absolute) => existsSync(path(absolute)),
    read: (absolute) => {
      try {
        return readFileSync(path(absolute), 'utf8');
      } catch {
        return null;
      }
    },
    list: (absolute) => {
      try {
        return readdirSync(path(absolute)).sort();
      } catch {
        return [];
      }
    },
    run: (command, args) => {
      try {
        return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
      } catch {
        return null;
      }
    },
  };
}
