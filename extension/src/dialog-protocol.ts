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
  /**
   * The host or the card cannot serve this operation (no host, no reader, no card, an expired
   * certificate…): `error`, its next step, and a close button — with 再試行 when `retryable`.
   */
  | 'failed';

/**
 * What the origin is to the user, for the dialog's badge: one of the preset government portals, a
 * site the user added to the portal allow-list, a development origin (http://localhost and the
 * loopback addresses), or none of these (a warning instead of a badge).
 */
export type SiteKind = 'preset' | 'added' | 'development' | 'other';

export interface DialogState {
  origin: string;
  /** What the user is asked to allow: a verb of operations.ts, which gives its wording. */
  use: DialogUse;
  kind: PinKind;
  /** What the origin is (the badge); `preset` and `added` are on the portal allow-list (settings/site-kind.ts). */
  site: SiteKind;
  /** Number of hashes/DigestInfos to sign, for the signing uses. */
  count: number;
  retriesLeft: number | null;
  maxTries: number;
  phase: DialogPhase;
  /**
   * The last attempt's outcome, shown in the aria-live region; `detail` is the host's own words
   * where they help the user (who holds a busy card).
   */
  error: { code: ErrorCode; retriesLeft?: number; detail?: string } | null;
  /** In the failed phase: whether checking the card again may help (a reader, a card, a busy card). */
  retryable: boolean;
  /** Epoch ms when the operation times out (for the countdown); later after each extension. */
  deadline: number;
  /** How many more times the user may extend the deadline (延長). */
  extensionsLeft: number;
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
  | { type: 'close' }
  /** 再試行 in the failed phase: check the reader and the card again, in the same window. */
  | { type: 'retry' }
  /** 延長: move the deadline later (bounded: extensionsLeft). */
  | { type: 'extend' };
