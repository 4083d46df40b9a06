/**
 * What the Debian package installs, and where — one place for the build, the maintainer
 * scripts, the man page and the tests. The browsers' system-wide manifest directories come from
 * the per-user installer's path table (native-host/src/install/paths.ts), so both installers
 * always agree on where each browser looks.
 */
import { CHROMIUM_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { posix } from 'node:path';
import { type Browser, DEB_EXECUTABLE, installTarget } from '../../../native-host/src/install/paths.ts';
import { VERSION } from '../paths.ts';

export const PACKAGE = 'jpki-bridge';
export const MAINTAINER = 'jpki-bridge developers <maintainers@jpki-bridge.dev>';
/** The Debian revision: a new one when only the packaging (or the embedded Node) changes. */
export const DEB_VERSION = `${VERSION}-1`;
export const DEB_FILE = `${PACKAGE}_${DEB_VERSION}_amd64.deb`;

export const LIB_DIR = posix.dirname(DEB_EXECUTABLE);
/** The single executable (Node + the CLI bundle); the manifests name it as the host. */
export const EXECUTABLE = DEB_EXECUTABLE;
/** pcsclite's addon, loaded from beside the executable (native-host/src/card/pcsc-binding.ts). */
export const ADDON = `${LIB_DIR}/pcsclite.node`;
/** The J-LIS roots `jpki-bridge verify` trusts, found beside the executable (relying-party/src/verifier/trust-anchors.ts). */
export const JPKI_ROOTS_DIR = `${LIB_DIR}/roots`;
export const COMMAND = '/usr/bin/jpki-bridge';
export const DOC_DIR = `/usr/share/doc/${PACKAGE}`;
/** English, and Japanese for a Japanese locale (man looks in /usr/share/man/ja first). */
export const MAN_PAGES = { en: '/usr/share/man/man1/jpki-bridge.1.gz', ja: '/usr/share/man/ja/man1/jpki-bridge.1.gz' } as const;
export const LINTIAN_OVERRIDES = `/usr/share/lintian/overrides/${PACKAGE}`;

/** The Chromium-family manifest, once; each browser's system directory links to it. */
export const CHROMIUM_MANIFEST = `${LIB_DIR}/native-messaging-hosts/chromium.json`;

/** The browsers that get a system-wide manifest (every one the per-user installer knows). */
export const BROWSERS: readonly Browser[] = ['chromium', 'chrome', 'edge', 'brave', 'firefox'];

export function systemManifestPath(browser: Browser): string {
  return installTarget('linux', browser, 'system', { home: '/nonexistent' }).manifestPath;
}

/**
 * Debian's policy reserves /etc/opt for packages installed under /opt (lintian:
 * dir-or-file-in-etc-opt), yet Chrome, Edge and Brave read system hosts only there. So those
 * links are made by postinst and removed by postrm (as Web eID's package does); the rest are
 * ordinary files and links in the package.
 */
export function linkedByMaintainerScripts(browser: Browser): boolean {
  return systemManifestPath(browser).startsWith('/etc/opt/');
}

/** Where postinst notes the directories it had to create, so that postrm removes exactly those. */
export const CREATED_DIRS_FILE = `/var/lib/${PACKAGE}/created-directories`;

/**
 * Chromium-family browsers install an extension named by a JSON file here from its update URL
 * (the Chrome Web Store's), as "external extensions": the user is asked once to enable it.
 */
export const CHROME_WEB_STORE_UPDATE_URL = 'https://clients2.google.com/service/update2/crx';
export const EXTERNAL_EXTENSION_FILES = [
  `/usr/share/chromium/extensions/${CHROMIUM_EXTENSION_ID}.json`,
  `/usr/share/google-chrome/extensions/${CHROMIUM_EXTENSION_ID}.json`,
] as const;

/** Besides the libraries dpkg-shlibdeps finds: the daemon that owns the readers. */
export const EXTRA_DEPENDS = ['pcscd'] as const;
