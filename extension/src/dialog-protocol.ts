/**
 * Background ⇄ PIN dialog, over one runtime Port per operation (name `pin-dialog:<op id>`).
 * The port's lifetime is the dialog's: when the window closes the port disconnects and the
 * background treats it as a cancel. The PIN crosses this port once per attempt and is not kept
 * by either side after it is sent to the host.
 */
import type { ErrorCode } from '@jpki-bridge/shared/errors';
import type { DialogUse } from '@jpki-bridge/shared/operations';
import type { PinKind } from '@jpki-bridge/shared/policy';

export const DIALOG_PORT_PREFIX = 'pin-dialog:';

export type DialogPhase =
  /**
   * The window is up before the card has answered (the host starting, its first `status`): the
   * user may type and submit, and the background holds the PIN until the tries left are known.
   */
  | 'checking'
  /** Enter the PIN. */
  | 'enter'
  /** One try left: the user must tick #confirm-last-try before the PIN is sent. */
  | 'confirm-last-try'
  /** Locked: only an explanation and a close button. */
  | 'locked'
  /** The host or the card cannot serve this operation (no host, no reader, no card…): `error` and a close button. */
  | 'failed';

export interface DialogState {
  origin: string;
  /** What the user is asked to allow: a verb of operations.ts, which gives its wording. */
  use: DialogUse;
  kind: PinKind;
  /** On the portal allow-list (government and municipal sites by default). */
  allowListed: boolean;
  /** Number of hashes/DigestInfos to sign, for the signing uses. */
  count: number;
  retriesLeft: number | null;
  maxTries: number;
  phase: DialogPhase;
  /** The last attempt's outcome, shown in the aria-live region. */
  error: { code: ErrorCode; retriesLeft?: number } | null;
  /** Epoch ms when the operation times out (for the countdown). */
  deadline: number;
  /**
   * Counts the background's questions: a new number clears the field (a wrong PIN, a PIN held back
   * for the last-try confirmation); the same number with new facts (the card's answer arriving
   * while the user types) keeps what is typed.
   */
  attempt: number;
}

export type BackgroundToDialog = { type: 'state'; state: DialogState };

export type DialogToBackground =
  | { type: 'pin'; pin: string; confirmLastTry: boolean }
  | { type: 'cancel' }
  /** The locked or failed explanation was read. */
  | { type: 'close' };
