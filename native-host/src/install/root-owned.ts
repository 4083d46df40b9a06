/**
 * `install --system` writes a launcher every user's browser runs. It names this node and this
 * bundle by path; if the invoking user (or anyone but root) can change either file, or any
 * directory on the way to it, they can run their code as every user who opens the browser. So
 * each component of each path — as given, and as symlinks resolve it — must be owned by root and
 * writable by neither group nor others. (POSIX only: Windows' ACLs are another model, and the
 * Windows installer puts the host under Program Files.)
 */
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

export type Lstat = (path: string) => Pick<Stats, 'uid' | 'mode'>;

/** Why `path` may not be named by an all-users launcher, or null when it may. */
export function notRootOwnedProblem(path: string, lstat: Lstat = lstatSync, realpath: (path: string) => string = realpathSync): string | null {
  let resolved: string;
  try {
    resolved = realpath(path);
  } catch (error) {
    return `${path}: ${(error as Error).message}`;
  }
  for (const start of new Set([path, resolved])) {
    for (let at = start; ; at = dirname(at)) {
      let stats: Pick<Stats, 'uid' | 'mode'>;
      try {
        stats = lstat(at);
      } catch (error) {
        return `${at}: ${(error as Error).message}`;
      }
      if (stats.uid !== 0) return `${at} is owned by uid ${stats.uid}, not root`;
      if ((stats.mode & 0o022) !== 0 && (stats.mode & 0o170000) !== 0o120000) {
        return `${at} is writable by ${stats.mode & 0o002 ? 'everyone' : 'its group'} (mode ${(stats.mode & 0o7777).toString(8)})`;
      }
      if (dirname(at) === at) break;
    }
  }
  return null;
}
