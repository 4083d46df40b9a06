/**
 * The PIN conversation shared by every PIN-using action (the key policy from the user's side):
 * show the dialog, send the PIN to the host, and on the host's answer
 *   PIN_INCORRECT → ask again in the same dialog with the tries left,
 *   PIN_LAST_TRY  → ask the user to confirm, then resend with confirmLastTry,
 *   PIN_LOCKED    → explain the reset at the municipal office, fail with PIN_LOCKED,
 * anything else ends the operation. The PIN is only passed through to `call` and not kept.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import { checkPin } from '@jpki-bridge/shared/pin';
import type { StatusResult } from '@jpki-bridge/shared/protocol/native';
import type { DialogUse } from '@jpki-bridge/shared/operations';
import type { DialogState } from '../dialog-protocol.ts';
import type { Deadline } from './deadline.ts';
import type { OpenPrompt } from './pin-prompt.ts';

export interface PinOperation<T> {
  origin: string;
  use: DialogUse;
  kind: PinKind;
  allowListed: boolean;
  count: number;
  status: StatusResult;
  deadline: Deadline;
  openPrompt: OpenPrompt;
  call(pin: string, confirmLastTry: boolean): Promise<T>;
}

/** Before any dialog: a reader, a card, and for signing a signing certificate. */
export function checkCardReady(status: StatusResult, kind: PinKind): NonNullable<StatusResult['card']> {
  if (status.readers.length === 0) throw new JpkiError('ERR_JPKI_NO_READER');
  if (!status.card) throw new JpkiError('ERR_JPKI_NO_CARD');
  if (kind === 'sign' && !status.card.hasSigningCertificate) throw new JpkiError('ERR_JPKI_NO_SIGNING_CERTIFICATE');
  return status.card;
}

export async function runPinOperation<T>(op: PinOperation<T>): Promise<T> {
  const card = checkCardReady(op.status, op.kind);
  const retries = card.retries[op.kind];
  const state: DialogState = {
    origin: op.origin,
    use: op.use,
    kind: op.kind,
    allowListed: op.allowListed,
    count: op.count,
    retriesLeft: retries,
    maxTries: POLICY[op.kind].maxTries,
    phase: retries === 0 ? 'locked' : retries === 1 ? 'confirm-last-try' : 'enter',
    error: retries === 0 ? { code: 'ERR_JPKI_PIN_LOCKED' } : null,
    deadline: op.deadline.at,
  };

  const opening = op.openPrompt();
  const prompt = await op.deadline.race(opening).catch((error: unknown) => {
    // Timed out or the page left while the window was still opening: close it once it is up.
    void opening.then((late) => late.close(), () => {});
    throw error;
  });
  try {
    for (;;) {
      const answer = await op.deadline.race(prompt.ask({ ...state })).catch((error: unknown) => {
        // Whatever ends a locked dialog (close, timeout), the answer is "locked".
        if (state.phase === 'locked') throw new JpkiError('ERR_JPKI_PIN_LOCKED');
        throw error;
      });
      if (state.phase === 'locked' || answer.type === 'close') throw new JpkiError('ERR_JPKI_PIN_LOCKED');
      if (answer.type === 'cancel') throw new JpkiError('ERR_JPKI_USER_CANCELLED');
      // The dialog validates as the user types; this is the same rule again, so that a
      // malformed PIN never reaches the host even from a tampered dialog.
      const checked = checkPin(op.kind, answer.pin);
      if (!checked.ok) {
        state.error = { code: 'ERR_JPKI_PIN_FORMAT' };
        continue;
      }
      const confirmLastTry = answer.confirmLastTry && state.phase === 'confirm-last-try';
      try {
        return await op.call(checked.pin, confirmLastTry);
      } catch (error) {
        if (!(error instanceof JpkiError)) throw error;
        switch (error.code) {
          case 'ERR_JPKI_PIN_INCORRECT': {
            const left = error.retriesLeft ?? null;
            state.retriesLeft = left;
            state.error = left === null ? { code: error.code } : { code: error.code, retriesLeft: left };
            state.phase = left === 0 ? 'locked' : left === 1 ? 'confirm-last-try' : 'enter';
            if (left === 0) state.error = { code: 'ERR_JPKI_PIN_LOCKED' };
            continue;
          }
          case 'ERR_JPKI_PIN_LAST_TRY':
            state.retriesLeft = 1;
            state.phase = 'confirm-last-try';
            state.error = { code: error.code };
            continue;
          case 'ERR_JPKI_PIN_LOCKED':
            state.retriesLeft = 0;
            state.phase = 'locked';
            state.error = { code: error.code };
            continue;
          default:
            throw error;
        }
      }
    }
  } finally {
    prompt.close();
  }
}
