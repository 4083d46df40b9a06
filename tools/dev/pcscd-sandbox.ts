/**
 * A private pcscd for test runs, where the machine allows it (root, iproute2): a network namespace
 * of its own — so its vpcd ports 35963/35964 and its two readers are its own, and several such
 * pcscds serve cards side by side —, its own /run/pcscd (pid file) inside `ip netns exec`'s mount
 * namespace, and its socket in a directory every process sees, where libpcsclite is told to look
 * (PCSCLITE_CSOCK_NAME, which libpcsclite honours). The machine's own pcscd is not touched.
 *
 * The namespace's loopback routes carry `quickack 1`: vpcd writes each frame's length and payload
 * as two segments without TCP_NODELAY, so on a plain loopback every APDU waits for the card
 * server's delayed ACK (~44 ms); with quickack it takes about a millisecond (test/bench/apdu.bench.ts).
 * That floor is the test reader's, not the product's: the product's path is unchanged.
 *
 * A process enters a sandbox with enterPcscdSandbox(name) (the `system` and `package` test projects
 * do so per vitest worker, test/harness/pcscd-sandbox-setup.ts); tools/dev/pcscd.ts,
 * virtual-card.ts and reader-lock.ts then use it, and every child inherits it through the
 * environment. Elsewhere (not root, no iproute2, JPKI_PCSCD_SANDBOX=off) everything uses the
 * machine's pcscd as before.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set in a process that uses a sandbox: its name (the network namespace's, and its directory's in $TMPDIR). */
export const SANDBOX_ENV = 'JPKI_PCSCD_SANDBOX';

export interface PcscdSandbox {
  /** The network namespace's name (`ip netns exec NAME …`). */
  name: string;
  /** Its private /run/pcscd (bind-mounted inside the namespace): pid file and socket. */
  runDir: string;
  /** pcscd's socket, as every process on the machine reaches it. */
  socket: string;
  pidFile: string;
  /** The reader lock of this sandbox's two readers (tools/dev/reader-lock.ts). */
  lockFile: string;
}

function sandboxNamed(name: string): PcscdSandbox {
  const dir = join(tmpdir(), name);
  const runDir = join(dir, 'run');
  return { name, runDir, socket: join(runDir, 'pcscd.comm'), pidFile: join(runDir, 'pcscd.pid'), lockFile: join(dir, 'readers.lock') };
}

/** The sandbox this process uses, or null (the machine's pcscd). */
export function currentPcscdSandbox(): PcscdSandbox | null {
  const name = process.env[SANDBOX_ENV];
  return name && name !== 'off' ? sandboxNamed(name) : null;
}

/** Can this machine make sandboxes: root, iproute2, network namespaces allowed, and not switched off? */
export function pcscdSandboxesAvailable(): boolean {
  if (process.env[SANDBOX_ENV] === 'off' || process.getuid?.() !== 0) return false;
  if (!existsSync('/usr/sbin/pcscd') || !existsSync('/etc/reader.conf.d/vpcd')) return false;
  // A namespace made and dropped at once proves both iproute2 and the kernel's permission.
  return spawnSync('unshare', ['--net', '--mount', 'true'], { stdio: 'ignore' }).status === 0 && spawnSync('ip', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes the sandbox `name` if it does not exist yet (its pcscd is started later, by
 * tools/dev/pcscd.ts), and points this process and its children at it.
 */
export function enterPcscdSandbox(name: string): PcscdSandbox {
  const sandbox = sandboxNamed(name);
  if (!existsSync(join('/run/netns', name))) {
    const ip = (...args: string[]) => {
      const result = spawnSync('ip', args, { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
    };
    ip('netns', 'add', name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
    // The routes the kernel made for lo, with quickack added: the card server's socket and
    // vpcd's both take their route from here when they connect.
    for (const prefix of ['127.0.0.0/8', '127.0.0.1']) {
      ip(
        '-n',
        name,
        'route',
        'change',
        'local',
        prefix,
        'dev',
        'lo',
        'table',
        'local',
        'proto',
        'kernel',
        'scope',
        'host',
        'src',
        '127.0.0.1',
        'quickack',
        '1',
      );
    }
  }
  mkdirSync(sandbox.runDir, { recursive: true });
  // The mount point of the private /run/pcscd inside the namespace (the machine's pcscd makes it too).
  mkdirSync('/run/pcscd', { recursive: true });
  process.env[SANDBOX_ENV] = name;
  process.env.PCSCLITE_CSOCK_NAME = sandbox.socket;
  return sandbox;
}

/** The command line that runs `command` inside the current sandbox (unchanged without one). */
export function inPcscdSandbox(command: string, args: string[]): [string, string[]] {
  const sandbox = currentPcscdSandbox();
  return sandbox ? ['ip', ['netns', 'exec', sandbox.name, command, ...args]] : [command, args];
}

/** Stops everything still running in the sandboxes whose names start with `prefix`, and removes them. */
export function removePcscdSandboxes(prefix: string): void {
  const names = existsSync('/run/netns') ? readdirSync('/run/netns').filter((name) => name.startsWith(prefix)) : [];
  for (const name of names) {
    const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {}
    }
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}
