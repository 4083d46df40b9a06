/**
 * The native host processes a browser started, found and killed as a crash would kill them — for
 * the testing kit's `stopHost()`. The browser starts the host itself (the launcher the profile's
 * manifest names, which execs `… host --card …`), so the host is one of the browser's descendants;
 * Linux's /proc says which (the kit runs on Linux only).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** pid → parent pid, for every process now. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {} // gone meanwhile
  }
  return map;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** The running host processes among `browserPid`'s descendants: `jpki-bridge host --card …`. */
export function hostProcesses(browserPid: number): number[] {
  const parent = parents();
  const descends = (pid: number): boolean => {
    for (let at = parent.get(pid); at !== undefined && at > 1; at = parent.get(at)) if (at === browserPid) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    const args = commandLine(pid);
    return args.includes('host') && args.includes('--card') && descends(pid);
  });
}

/** SIGKILLs them (no goodbye frame, as in a crash) and waits until they are gone. Returns their pids. */
export async function killHostProcesses(browserPid: number, timeoutMs = 5_000): Promise<number[]> {
  const pids = hostProcesses(browserPid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  const deadline = Date.now() + timeoutMs;
  // A killed child stays a zombie until the browser reaps it: "gone" is no longer running.
  const running = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  while (pids.some(running)) {
    if (Date.now() > deadline) throw new Error(`the host processes ${pids.join(', ')} did not exit after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids;
}
