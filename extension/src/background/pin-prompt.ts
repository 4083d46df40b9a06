/**
 * How the background asks the user for a PIN. The real implementation is a popup window
 * (dialog-window.ts); tests use a scripted fake.
 */
import type { DialogState, DialogToBackground } from '../dialog-protocol.ts';

/** The user's answers are the dialog's messages (dialog-window.ts checks each one's shape). */
export type PromptAnswer = DialogToBackground;

export interface PinPrompt {
  /** Shows `state` and resolves with the user's next answer (closing the window = cancel). */
  ask(state: DialogState): Promise<PromptAnswer>;
  /** Shows `state` while the question asked last is still open (the card's answer arriving). */
  show(state: DialogState): void;
  /** Closes the window; idempotent. Called on every path. */
  close(): void;
}

export type OpenPrompt = () => Promise<PinPrompt>;
