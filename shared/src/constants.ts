/** Constants of the wire contract (docs/PROTOCOL.md). */

/** Native messaging host name, as in the manifest and `connectNative`. */
export const NATIVE_HOST_NAME = 'jpki_bridge';

/** Native protocol version; the host says it in `hello`, the extension refuses any other. */
export const PROTOCOL_VERSION = 1;

/** A request frame's body may be at most this long; the host checks the prefix before reading. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Chrome's limit for a native→browser message; the host never writes a larger frame. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** User-interaction timeout; a page may ask for less, never more. */
export const USER_TIMEOUT_MS = 120_000;

/** The page library's ack deadline. */
export const ACK_TIMEOUT_MS = 1_000;

export const APP_VERSION_PREFIX = 'https://github.com/jpki-bridge/jpki-bridge/';

/**
 * The PIN dialog warns this long before the user timeout and offers to extend it (延長) by
 * DEADLINE_EXTENSION_MS, at most MAX_DEADLINE_EXTENSIONS times: the longest a page waits after its
 * ack is its timeout plus MAX_DEADLINE_EXTENSIONS × DEADLINE_EXTENSION_MS.
 */
export const DEADLINE_WARNING_MS = 30_000;
export const DEADLINE_EXTENSION_MS = 60_000;
export const MAX_DEADLINE_EXTENSIONS = 2;
