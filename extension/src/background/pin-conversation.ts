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
 * card failure is shown in the window instead — with 再試行 when checking again may help (a reader
 * plugged in, the card put on it, the other program done with it): the status is asked again in
 * the same window. An expired certificate is said before any PIN is asked. 延長 moves the deadline
 * (deadline.ts bounds how often).
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import { checkPin } from '@jpki-bridge/shared/pin';
import type { StatusResult } from '@jpki-bridge/shared/protocol/native';
import { base64ToBytes } from '@jpki-bridge/shared/base64';
import type { ErrorCode } from '@jpki-bridge/shared/errors';
import type { DialogPhase, DialogState } from '../dialog-protocol.ts';
import { certificateValidity } from '../lib/certificate-validity.ts';
import type { Deadline } from './deadline.ts';
import type { PinPrompt } from './pin-prompt.ts';

/** What the dialog says: who asks, for which use and PIN, and how many items. */
export type Conversation = Pick<DialogState, 'origin' | 'use' | 'kind' | 'site' | 'count'>;

type Card = NonNullable<StatusResult['card']>;

/**
 * Before any PIN is sent: a reader, a card, for signing a signing certificate, and for either
 * certificate's PIN an authentication certificate still valid — the signing certificate ends no
 * later than it (docs/card-facts.md), so an expired one means neither can be used.
 */
function checkCardReady(status: StatusResult, kind: PinKind, now: Date = new Date()): Card {
  if (status.readers.length === 0) throw new JpkiError('ERR_JPKI_NO_READER');
  if (!status.card) throw new JpkiError('ERR_JPKI_NO_CARD');
  if (kind === 'sign' && !status.card.hasSigningCertificate) throw new JpkiError('ERR_JPKI_NO_SIGNING_CERTIFICATE');
  if (kind !== 'text' && certificateExpired(status.card.authCertificate, now)) throw new JpkiError('ERR_JPKI_CERTIFICATE_EXPIRED');
  return status.card;
}

function certificateExpired(certificate: string, now: Date): boolean {
  try {
    return certificateValidity(base64ToBytes(certificate)).notAfter.getTime() < now.getTime();
  } catch {
    return false; // unreadable here: the card and the site decide
  }
}

/** Failures that checking again in the same window may cure: the user fixes the reader or the card. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_JPKI_NO_READER',
  'ERR_JPKI_NO_CARD',
  'ERR_JPKI_CARD_BUSY',
  'ERR_JPKI_CARD_REMOVED',
  'ERR_JPKI_NOT_JPKI_CARD',
  'ERR_JPKI_PCSC_UNAVAILABLE',
]);

/** The phase a number of tries left puts the dialog in. */
function phaseFor(retries: number | null): DialogPhase {
  return retries === 0 ? 'locked' : retries === 1 ? 'confirm-last-try' : 'enter';
}

/**
 * Asks in `prompt` until `call` succeeds or the conversation ends (cancel, close, lock, deadline,
 * a failure). `status` asks the host for the card's status (again on 再試行); it arrives while the
 * dialog is up.
 */
export async function converse<T>(
  prompt: PinPrompt,
  op: Conversation,
  deadline: Deadline,
  status: () => Promise<StatusResult>,
  call: (pin: string, confirmLastTry: boolean) => Promise<T>,
): Promise<T> {
  const state: DialogState = {
    origin: op.origin,
    use: op.use,
    kind: op.kind,
    site: op.site,
    count: op.count,
    retriesLeft: null,
    maxTries: POLICY[op.kind].maxTries,
    phase: 'checking',
    error: null,
    retryable: false,
    deadline: deadline.at,
    extensionsLeft: deadline.extensionsLeft,
    attempt: 0,
  };
  let failure: unknown = null;
  let asking = false;
  /** What ends a locked or failed dialog, whichever way it ends (close, cancel, timeout). */
  const ending = () => (state.phase === 'failed' ? failure : state.phase === 'locked' ? new JpkiError('ERR_JPKI_PIN_LOCKED') : null);

  // Never rejects: a failure becomes the 'failed' phase (and, once the window closes, the answer).
  const checkCard = () =>
    Promise.resolve()
      .then(status)
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
          const code = error instanceof JpkiError ? error.code : 'ERR_JPKI_UNKNOWN';
          state.phase = 'failed';
          state.retryable = RETRYABLE.has(code);
          // Who holds a busy card, in the host's words (no PIN, no personal data in them).
          state.error = code === 'ERR_JPKI_CARD_BUSY' && error instanceof Error ? { code, detail: error.message } : { code };
        },
      )
      // Filled in while the user is still typing (the same attempt: the field keeps its text).
      .then(() => {
        if (asking) prompt.show({ ...state });
      });
  let settled = checkCard();
  for (;;) {
    asking = true;
    const answer = await deadline
      .race(prompt.ask({ ...state }))
      .catch((error: unknown) => {
        throw ending() ?? error;
      })
      .finally(() => (asking = false));
    // What the user answered to: the last state shown (the card's answer may have come in meanwhile).
    const asked = state.phase;
    if (answer.type === 'extend') {
      deadline.extend();
      state.deadline = deadline.at;
      state.extensionsLeft = deadline.extensionsLeft;
      continue; // the same question: what is typed stays
    }
    if (answer.type === 'retry') {
      if (state.phase !== 'failed' || !state.retryable) continue;
      failure = null;
      state.phase = 'checking';
      state.error = null;
      state.retryable = false;
      state.attempt++;
      settled = checkCard();
      continue;
    }
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
