/**
 * Browsers installed as Flatpaks, and where each reads native-messaging manifests inside its
 * sandbox: the app's own folder ~/.var/app/<id>/ stands in for the home directory (HOME there is
 * the real one; XDG_CONFIG_HOME is ~/.var/app/<id>/config). A host outside the sandbox is started
 * through a wrapper that runs `flatpak-spawn --host`, which the app may only do once the user lets
 * it talk to org.freedesktop.Flatpak (keepassxc-browser #1267 and #804 give these steps; the
 * folders are the apps' own, e.g. Bitwarden's list for Chromium, Edge and Brave).
 *
 * Flatpak Firefox 157 and later reaches hosts outside the sandbox through
 * xdg-native-messaging-proxy where the distribution ships it (flatpak/xdg-desktop-portal#655,
 * Mozilla bug 1955255); then the ordinary manifests serve, and nothing here is needed.
 */
import { posix } from 'node:path';
import { NATIVE_HOST_NAME } from '@jpki-bridge/shared/constants';
import { shQuote } from './manifest.ts';
import type { Browser } from './paths.ts';

export interface FlatpakBrowser {
  id: string;
  family: Browser;
  name: string;
  /** The manifest folder, relative to ~/.var/app/<id>/. */
  hostsDir: string;
}

export const FLATPAK_BROWSERS: readonly FlatpakBrowser[] = [
  { id: 'org.mozilla.firefox', family: 'firefox', name: 'Firefox', hostsDir: '.mozilla/native-messaging-hosts' },
  { id: 'org.chromium.Chromium', family: 'chromium', name: 'Chromium', hostsDir: 'config/chromium/NativeMessagingHosts' },
  { id: 'io.github.ungoogled_software.ungoogled_chromium', family: 'chromium', name: 'ungoogled-chromium', hostsDir: 'config/chromium/NativeMessagingHosts' },
  { id: 'com.google.Chrome', family: 'chrome', name: 'Google Chrome', hostsDir: 'config/google-chrome/NativeMessagingHosts' },
  { id: 'com.brave.Browser', family: 'brave', name: 'Brave', hostsDir: 'config/BraveSoftware/Brave-Browser/NativeMessagingHosts' },
  { id: 'com.microsoft.Edge', family: 'edge', name: 'Microsoft Edge', hostsDir: 'config/microsoft-edge/NativeMessagingHosts' },
];

/** The D-Bus name the wrapper's flatpak-spawn talks to; the app needs --talk-name for it. */
export const FLATPAK_TALK_NAME = 'org.freedesktop.Flatpak';

export function flatpakAppDir(home: string, id: string): string {
  return posix.join(home, '.var/app', id);
}

export function flatpakManifestPath(home: string, browser: FlatpakBrowser): string {
  return posix.join(flatpakAppDir(home, browser.id), browser.hostsDir, `${NATIVE_HOST_NAME}.json`);
}

/** Inside the app's folder, so the sandbox sees it at the same path. */
export function flatpakWrapperPath(home: string, id: string): string {
  return posix.join(flatpakAppDir(home, id), 'data/jpki-bridge/jpki-bridge-host');
}

/** The one command the user runs, once per app (their own permission, not ours to grant). */
export function flatpakOverrideCommand(id: string): string {
  return `flatpak override --user --talk-name=${FLATPAK_TALK_NAME} ${id}`;
}

/** The wrapper: the host program outside the sandbox, with the browser's arguments passed on. */
export function flatpakWrapperScript(program: readonly string[], card: string): string {
  return `#!/bin/sh\n# jpki-bridge native messaging host for a Flatpak browser, written by \`jpki-bridge install --flatpak\`:\n# the host runs outside the sandbox (it needs pcscd).\nexec flatpak-spawn --host ${program.map(shQuote).join(' ')} host --card ${shQuote(card)} "$@"\n`;
}

/** Where xdg-native-messaging-proxy is installed on the host (its D-Bus service file or binary). */
export const NATIVE_MESSAGING_PROXY_FILES = [
  '/usr/share/dbus-1/services/org.freedesktop.NativeMessagingProxy.service',
  '/usr/libexec/xdg-native-messaging-proxy',
  '/usr/lib/xdg-native-messaging-proxy',
] as const;
