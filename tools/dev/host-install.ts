/**
 * The native host installed for one browser profile, with the product's own `jpki-bridge install`
 * — so every session the tools start also proves the installer's manifest and launcher.
 * `install` also makes the portal protocol's installation uuid in `$XDG_CONFIG_HOME/jpki-bridge`:
 * every session names a configuration directory of its own (`configHome`), which the browser must
 * hand the host it starts too, so nothing is ever written to the user's ~/.config.
 *
 * - Chromium reads per-profile hosts from `<user-data-dir>/NativeMessagingHosts/`
 *   (`install --browser chromium --user-data-dir DIR`; the launcher sits beside the manifest).
 * - Firefox reads per-user hosts from `~/.mozilla/native-messaging-hosts/`, so the profile is a
 *   HOME of its own (`install --browser firefox --user` with HOME pointing there).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NATIVE_HOST_NAME } from '@jpki-bridge/shared/constants';
import { manifestFor } from '../../native-host/src/install/manifest.ts';
import { jpkiBridge } from './host-cli.ts';

export interface HostInstall {
  /** The host's `--card`: `pcsc` (default) or `virtual:FILE` (the card in process, no PC/SC). */
  card?: string;
  /** The host's log file (`--log`). */
  log?: string;
}

const hostArgs = (host: HostInstall) => ['--card', host.card ?? 'pcsc', ...(host.log ? ['--log', host.log] : [])];

/** The environment of `install` and of the browser that starts the host: XDG_CONFIG_HOME at `configHome`. */
export function hostEnv(configHome: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, XDG_CONFIG_HOME: configHome };
}

/** Returns the manifest's path. */
export async function installHostForChromium(userDataDir: string, host: HostInstall, configHome: string): Promise<string> {
  await jpkiBridge(['install', '--browser', 'chromium', '--user-data-dir', userDataDir, ...hostArgs(host)], { env: hostEnv(configHome) });
  return join(userDataDir, 'NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`);
}

/** Returns the manifest's path. */
export async function installHostForFirefox(home: string, host: HostInstall): Promise<string> {
  await jpkiBridge(['install', '--browser', 'firefox', '--user', ...hostArgs(host)], { env: hostEnv(join(home, '.config'), { ...process.env, HOME: home }) });
  return join(home, '.mozilla/native-messaging-hosts', `${NATIVE_HOST_NAME}.json`);
}

/**
 * A profile whose host is not there: its own manifest names a program that does not exist, so the
 * browser cannot start it (Chromium: "Failed to start native messaging host.") and the extension
 * answers ERR_JPKI_NATIVE_UNAVAILABLE, as when no host is installed. A manifest of the profile's
 * own, rather than none: Chromium reads the profile's (user-level) hosts before the machine's
 * (/etc/chromium/native-messaging-hosts, where the Debian package installs one), so a host installed
 * for every user does not answer instead. Written any time before the page's call: Chromium
 * reads the manifest at each connect. Returns the manifest's path.
 */
export async function installMissingHostForChromium(userDataDir: string): Promise<string> {
  const dir = join(userDataDir, 'NativeMessagingHosts');
  await mkdir(dir, { recursive: true });
  const manifest = join(dir, `${NATIVE_HOST_NAME}.json`);
  await writeFile(manifest, JSON.stringify(manifestFor('chromium', join(dir, 'jpki-bridge-host-not-installed')), null, 2));
  return manifest;
}
