/**
 * A scripted PIN dialog: each ask() takes the next answer (or waits forever), recording the state
 * the user answered to. Like a user who reads the tries left before typing, it answers a question
 * asked while the card is still being checked only once show() has filled it in (the early
 * submission is proved in test/extension/pin-dialog-at-once.test.ts).
 */
import type { DialogState } from '../../../extension/src/dialog-protocol.ts';
import type { OpenPrompt, PromptAnswer } from '../../../extension/src/background/pin-prompt.ts';
import { afterAnswer } from '../../../extension/src/background/after-answer.ts';

export interface FakePrompt {
  open: OpenPrompt;
  states: DialogState[];
  opened: number;
  closed: number;
}

export function fakePrompt(answers: Array<PromptAnswer | 'hang'>): FakePrompt {
  const fake: FakePrompt = {
    states: [],
    opened: 0,
    closed: 0,
    open: async () => {
      fake.opened++;
      let filledIn: ((state: DialogState) => void) | null = null;
      return {
        ask: async (state) => {
          const seen = state.phase === 'checking' ? await new Promise<DialogState>((resolve) => (filledIn = resolve)) : state;
          fake.states.push(structuredClone(seen));
          const next = answers.shift() ?? 'hang';
          return next === 'hang' ? new Promise<PromptAnswer>(() => {}) : next;
        },
        show: (state) => {
          const resolve = filledIn;
          filledIn = null;
          resolve?.(state);
        },
        close: () => {
          fake.closed++;
        },
      };
    },
  };
  return fake;
}

/**
 * Resolves once what the background runs after the page's answer has run: the window and the host
 * are closed then (after-answer.ts), not before the answer.
 */
export function afterTheAnswer(): Promise<void> {
  return new Promise((resolve) => afterAnswer(resolve));
}
