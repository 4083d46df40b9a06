/**
 * A request that fails unexpectedly reaches its page, portal or extension page as ERR_JPKI_UNKNOWN
 * (or, when it fails before the router answers, as a dead extension), which says nothing there: no
 * internal detail crosses a hop (docs/PROTOCOL.md § Error codes). So the background's console says
 * what it was: a typed ERR_JPKI_UNKNOWN with its message (our own words, e.g. "The host sent a
 * malformed authenticate result."); anything untyped with its name and where it was thrown, never
 * its message, which may quote a value it was given (a schema error quotes its input, and a
 * request may hold a PIN). Typed errors with a code of their own are expected answers: not logged.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';

/** A stack line that names a place only: V8's `    at …`, SpiderMonkey's `name@url:line:column`. */
const FRAME = /^\s+at \S|^[^\s@]*@\S+:\d+:\d+$/;

export function logUnexpectedError(error: unknown, log: (line: string) => void = console.error): void {
  if (error instanceof JpkiError) {
    if (error.code === 'ERR_JPKI_UNKNOWN') log(`jpki-bridge: ${error.code}: ${error.message}`);
    return;
  }
  const name = error instanceof Error ? error.name : typeof error;
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => FRAME.test(line)) : [];
  log([`jpki-bridge: an unexpected ${name} ended the request`, ...frames].join('\n'));
}
