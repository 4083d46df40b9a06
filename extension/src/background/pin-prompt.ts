/**
 * How the background asks the user for a PIN. The real implementation is a popup window
 * (dialog-window.ts); tests use a scripted fake.
 */
import type { DialogState } from '../dialog-protocol.ts';

export type PromptAnswer =
  | { type: 'pin'; pin: string; confirmLastTry: boolean }
  | { type: 'cancel' }
  | { type: 'close' }
  | { type: 'retry' }
  | { type: 'extend' };

export interface PinPrompt {
  /** Shows `state` and resolves with the user's next answer (closing the window = cancel). */
  ask(state: DialogState): Promise<PromptAnswer>;
  /** Shows `state` while the question asked last is still open (the card's answer arriving). */
  show(state: DialogState): void;
  /** Closes the window; idempotent. Called on every path. */
  close(): void;
}

export type OpenPrompt = () => Promise<PinPrompt>;
