/** The release version, shared by the host (hello, status), the extension manifest and the token's appVersion. */
export const VERSION = '0.1.0';
