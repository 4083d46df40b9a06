/**
 * The extension's identity, pinned so that the host's manifest can name it before install.
 * Chromium derives the id from the manifest `key` (extension/keys/public-key.txt): the first
 * 32 hex digits of SHA-256 of the DER public key, written with a–p. The private key is not kept:
 * store builds are signed by the store, and unpacked builds only need the public key.
 */
export const CHROMIUM_EXTENSION_ID = 'bheklkfdigjkcbfhlloohggaocjacjod';
export const GECKO_EXTENSION_ID = 'jpki-bridge@jpki-bridge.dev';
