/**
 * The PIN conversation in an open dialog (the key policy from the user's side): ask for the PIN,
 * send it to the host, and on the host's answer
 *   PIN_INCORRECT → ask again in the same dialog with the tries left,
 *   PIN_LAST_TRY  → ask the user to confirm, then resend with confirmLastTry,
 *   PIN_LOCKED    → explain the reset at the municipal office, fail with PIN_LOCKED,
 * anything else ends the operation. The PIN is only passed through to `call` and not kept.
 * It owns nothing: the window, the host and the deadline are pin-operation.ts's, which closes them.
 *
 * The card's status comes in while the dialog is already up; the tries left and the card checks
 * fill in when it does. A PIN submitted before that waits here, and is
 * sent only once the status allows it: a card on its last try still needs the confirmation first
 * (the held PIN is dropped and asked for again with it), a locked PIN is never sent, and a host or
 * card failure is shown in the window instead.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import { checkPin } from '@jpki-bridge/shared/pin';
import type { StatusResult } from '@jpki-bridge/shared/protocol/native';
import type { DialogUse } from '@jpki-bridge/shared/operations';
import type { DialogPhase, DialogState } from '../dialog-protocol.ts';
import type { Deadline } from './deadline.ts';
import type { PinPrompt } from './pin-prompt.ts';

/** What the dialog says: who asks, for which use and PIN, and how many items. */
export interface Conversation {
  origin: string;
  use: DialogUse;
  kind: PinKind;
  allowListed: boolean;
  count: number;
}

type Card = NonNullable<StatusResult['card']>;

/** Before any PIN is sent: a reader, a card, and for signing a signing certificate. */
function checkCardReady(status: StatusResult, kind: PinKind): Card {
  if (status.readers.length === 0) throw new JpkiError('ERR_JPKI_NO_READER');
  if (!status.card) throw new JpkiError('ERR_JPKI_NO_CARD');
  if (kind === 'sign' && !status.card.hasSigningCertificate) throw new JpkiError('ERR_JPKI_NO_SIGNING_CERTIFICATE');
  return status.card;
}

/** The phase a number of tries left puts the dialog in. */
function phaseFor(retries: number | null): DialogPhase {
  return retries === 0 ? 'locked' : retries === 1 ? 'confirm-last-try' : 'enter';
}

/**
 * Asks in `prompt` until `call` succeeds or the conversation ends (cancel, close, lock, deadline,
 * a failure). `status` is the card's status as the host reads it, arriving while the dialog is up.
 */
export async function converse<T>(
  prompt: PinPrompt,
  op: Conversation,
  deadline: Deadline,
  status: Promise<StatusResult>,
  call: (pin: string, confirmLastTry: boolean) => Promise<T>,
): Promise<T> {
  const state: DialogState = {
    origin: op.origin,
    use: op.use,
    kind: op.kind,
    allowListed: op.allowListed,
    count: op.count,
    retriesLeft: null,
    maxTries: POLICY[op.kind].maxTries,
    phase: 'checking',
    error: null,
    deadline: deadline.at,
    attempt: 0,
  };
  let failure: unknown = null;
  let asking = false;
  /** What ends a locked or failed dialog, whichever way it ends (close, cancel, timeout). */
  const ending = () => (state.phase === 'failed' ? failure : state.phase === 'locked' ? new JpkiError('ERR_JPKI_PIN_LOCKED') : null);

  // Never rejects: a failure becomes the 'failed' phase (and, once the window closes, the answer).
  const settled = status
    .then((result) => checkCardReady(result, op.kind))
    .then(
      (card) => {
        const retries = card.retries[op.kind];
        state.retriesLeft = retries;
        state.phase = phaseFor(retries);
        if (retries === 0) state.error = { code: 'ERR_JPKI_PIN_LOCKED' };
      },
      (error: unknown) => {
        failure = error;
        state.phase = 'failed';
        state.error = { code: error instanceof JpkiError ? error.code : 'ERR_JPKI_UNKNOWN' };
      },
    );
  // Filled in while the user is still typing (the same attempt: the field keeps its text).
  void settled.then(() => {
    if (asking) prompt.show({ ...state });
  });
  for (;;) {
    asking = true;
    const answer = await deadline.race(prompt.ask({ ...state })).catch((error: unknown) => {
      throw ending() ?? error;
    }).finally(() => (asking = false));
    // What the user answered to: the last state shown (the card's answer may have come in meanwhile).
    const asked = state.phase;
    if (ending()) throw ending();
    if (answer.type === 'close') throw new JpkiError('ERR_JPKI_PIN_LOCKED');
    if (answer.type === 'cancel') throw new JpkiError('ERR_JPKI_USER_CANCELLED');
    state.attempt++;
    // The dialog validates as the user types; this is the same rule again, so that a
    // malformed PIN never reaches the host even from a tampered dialog.
    const checked = checkPin(op.kind, answer.pin);
    if (!checked.ok) {
      state.error = { code: 'ERR_JPKI_PIN_FORMAT' };
      continue;
    }
    // Submitting waits only for what it needs: the card's status, before any PIN goes out.
    await deadline.race(settled);
    if (ending()) continue; // show the lock or the failure; the PIN is dropped unsent
    if (state.phase === 'confirm-last-try' && asked !== 'confirm-last-try') {
      // Typed before the dialog knew it was the last try: ask again, with the confirmation.
      state.error = { code: 'ERR_JPKI_PIN_LAST_TRY' };
      continue;
    }
    const confirmLastTry = answer.confirmLastTry && asked === 'confirm-last-try';
    try {
      return await call(checked.pin, confirmLastTry);
    } catch (error) {
      if (!(error instanceof JpkiError)) throw error;
      switch (error.code) {
        case 'ERR_JPKI_PIN_INCORRECT': {
          const left = error.retriesLeft ?? null;
          state.retriesLeft = left;
          state.error = left === null ? { code: error.code } : { code: error.code, retriesLeft: left };
          state.phase = phaseFor(left);
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
}
