/**
 * What a popup form that sends a PIN (PIN change, the signing certificate) says when the request
 * fails: after a wrong PIN the tries left, else the code's own text; and whether the host asked for
 * the last-try confirmation, so the form shows the box.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';

export interface PinFailure {
  message: { key: string; subs?: Record<string, number> };
  needsConfirm: boolean;
}

export function pinFailure(error: unknown): PinFailure {
  const e = error instanceof JpkiError ? error : new JpkiError('ERR_JPKI_UNKNOWN');
  return {
    message:
      e.code === 'ERR_JPKI_PIN_INCORRECT' && e.retriesLeft !== undefined ? { key: 'wrongPin', subs: { count: e.retriesLeft } } : { key: `error_${e.code}` },
    needsConfirm: e.code === 'ERR_JPKI_PIN_LAST_TRY',
  };
}
