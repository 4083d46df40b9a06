/**
 * The pages the content script runs on, and so the host access the extension asks for
 * (wxt.config.ts). `http://localhost/*` matches every port in Chromium; the background re-checks
 * the origin (shared/src/origin.ts).
 */
export const CONTENT_SCRIPT_MATCHES = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'] as const;
