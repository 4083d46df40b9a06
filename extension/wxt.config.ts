import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import { GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { VERSION } from '@jpki-bridge/shared/version';
import { CONTENT_SCRIPT_MATCHES } from './src/content/matches.ts';
import { preactWithoutInnerHtml } from './build/preact-no-inner-html.ts';

// The public key pins the Chromium extension id (CHROMIUM_EXTENSION_ID) so that the host
// manifest's allowed_origins can name it before the extension is ever installed.
const publicKey = readFileSync(fileURLToPath(new URL('./keys/public-key.txt', import.meta.url)), 'utf8').trim();

const ICONS = { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png', 48: 'icons/icon-48.png', 128: 'icons/icon-128.png' };

// Pages and scripts may only run our own code: no eval, no remote script, no plugins.
const CSP = "script-src 'self'; object-src 'none'";

export default defineConfig({
  // Explicit imports everywhere: a reader sees where every name comes from.
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  outDir: '.output',
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'ja',
    version: VERSION,
    // Drawn for the project (extension/icons/icon.svg, rendered by make-icons.sh).
    icons: ICONS,
    // Presenting Windows as the OS to the allow-listed portal sites whose switch is on
    // (src/background/os-presentation.ts) needs, and is all that needs:
    //   - `scripting`: registering the page-world script at run time for exactly those origins;
    //   - `declarativeNetRequestWithHostAccess`: rules that set the User-Agent and client-hint
    //     headers on requests to them — the variant that blocks nothing and acts only where the
    //     extension has host access (no extra install warning of its own);
    //   - host access to the pages the content script already runs on: both APIs act only where
    //     the extension has host permission, and a user may add any https site to the list.
    //     It is the content script's own `matches`, so the install warning stays the same.
    permissions: ['nativeMessaging', 'storage', 'scripting', 'declarativeNetRequestWithHostAccess'],
    host_permissions: [...CONTENT_SCRIPT_MATCHES],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_EXTENSION_ID,
              // 140 (ESR): the first that reads `data_collection_permissions`; it also runs a registered
              // content script in the page's world (MAIN, since 128).
              strict_min_version: '140.0',
              // What leaves the machine at the user's direction (docs/privacy-policy.md), in the categories
              // of Mozilla's taxonomy (extensionworkshop.com/documentation/develop/firefox-builtin-data-consent):
              // the PIN to the native host, signatures and certificates to the asking site (authentication:
              // PINs are its own example); the holder's name, address, date of birth and sex, the uuid and
              // combination code to it (personally identifying: "name and address … ID numbers"); the asking
              // site's origin to the native host (browsing activity: "URLs, domains"). Mozilla's add-on
              // policies apply to data sent to a native application as to any other.
              data_collection_permissions: { required: ['authenticationInfo', 'personallyIdentifyingInfo', 'browsingActivity'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : { key: publicKey }),
    content_security_policy: manifestVersion === 3 ? { extension_pages: CSP } : CSP,
  }),
  hooks: {
    // WXT takes the toolbar title from popup.html's <title>; the manifest's should be localized.
    'build:manifestGenerated': (_wxt, manifest) => {
      const action = manifest.action ?? manifest.browser_action;
      if (action) {
        action.default_title = '__MSG_extName__';
        action.default_icon = ICONS;
      }
    },
    // The content script runs on every https page, so it must stay tiny (target ≤ 4 KB): its
    // build gets a two-line `browser` shim instead of webextension-polyfill (which WXT's
    // ContentScriptContext would otherwise pull in, ~10 KB). Chromium's MV3 `chrome.*` and
    // Firefox's `browser.*` both return promises for what the content script uses.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entry) => entry.type === 'content-script')) return;
      const shim = fileURLToPath(new URL('./src/content/browser-shim.ts', import.meta.url));
      const contextShim = fileURLToPath(new URL('./src/content/context-shim.ts', import.meta.url));
      config.resolve ??= {};
      const alias = [
        { find: /^wxt\/browser$/, replacement: shim },
        { find: /^@wxt-dev\/webextension-polyfill\/browser$/, replacement: shim },
        // Our content script does not use WXT's context (location watcher, invalidation
        // helpers); replacing it saves ~3 KB on every page.
        { find: /^wxt\/utils\/content-script-context$/, replacement: contextShim },
      ];
      const existing = config.resolve.alias;
      config.resolve.alias = [
        ...alias,
        ...(Array.isArray(existing) ? existing : Object.entries(existing ?? {}).map(([find, replacement]) => ({ find, replacement: replacement as string }))),
      ];
    },
  },
  vite: () => ({
    plugins: [preactWithoutInnerHtml()],
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    build: { minify: true },
  }),
});
