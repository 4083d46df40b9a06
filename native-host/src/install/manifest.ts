/** The native-messaging manifest and the launcher script it points to. */
import { NATIVE_HOST_NAME } from '@jpki-bridge/shared/constants';
import { CHROMIUM_EXTENSION_ID, GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import type { Browser, Os } from './paths.ts';

export const CHROMIUM_ORIGIN = `chrome-extension://${CHROMIUM_EXTENSION_ID}/`;

export function manifestFor(browser: Browser, launcherPath: string): Record<string, unknown> {
  const base = {
    name: NATIVE_HOST_NAME,
    description: 'jpki-bridge: マイナンバーカード (JPKI) をウェブで / My Number card (JPKI) for the web',
    path: launcherPath,
    type: 'stdio',
  };
  return browser === 'firefox' ? { ...base, allowed_extensions: [GECKO_EXTENSION_ID] } : { ...base, allowed_origins: [CHROMIUM_ORIGIN] };
}

/**
 * A launcher that depends neither on PATH nor on an npx cache: the host program by absolute path
 * (node and the bundle, or the single executable alone), then `host --card …`; the browser's own
 * arguments are passed through.
 */
export function launcherScript(os: Os, program: readonly string[], card: string, log?: string): string {
  if (os === 'win32') {
    // cmd.exe: quotes cannot be escaped inside "…" (none are legal in Windows paths anyway); % must be doubled.
    const q = (s: string) => `"${s.replace(/"/g, '').replace(/%/g, '%%')}"`;
    const logArg = log ? ` --log ${q(log)}` : '';
    return `@echo off\r\nrem jpki-bridge native messaging host, written by \`jpki-bridge install\`.\r\n${program.map(q).join(' ')} host --card ${q(card)}${logArg} %*\r\n`;
  }
  const logArg = log ? ` --log ${shQuote(log)}` : '';
  return `#!/bin/sh\n# jpki-bridge native messaging host, written by \`jpki-bridge install\`.\nexec ${program.map(shQuote).join(' ')} host --card ${shQuote(card)}${logArg} "$@"\n`;
}

/** One word for POSIX sh: inside single quotes only ' itself needs care. */
export function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
