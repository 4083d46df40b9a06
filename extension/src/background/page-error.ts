/**
 * What a web page learns of a failure: the code, the generic English text of that code and, for
 * PIN errors, `retriesLeft` — never the host's detail. Details name the reader (pcsc-lite's reader
 * names carry the USB serial number: a stable hardware identifier any site could read), quote
 * PC/SC texts, or give the certificate's expiry date. They stay where the user is: the PIN dialog,
 * the popup (its `ui` channel is not a page) and the background's console.
 */
import { ERROR_MESSAGES, type SerializedError, serializeError } from '@jpki-bridge/shared/errors';

export function pageError(error: unknown, log: (line: string) => void = console.warn): SerializedError {
  const full = serializeError(error);
  const generic = ERROR_MESSAGES[full.code].en;
  if (full.message !== generic) log(`jpki-bridge: ${full.code}: ${full.message}`);
  return { code: full.code, message: generic, ...(full.retriesLeft !== undefined ? { retriesLeft: full.retriesLeft } : {}) };
}
