/** A scripted PIN dialog: each ask() takes the next answer (or waits forever), recording the states shown. */
import type { DialogState } from '../../../extension/src/dialog-protocol.ts';
import type { OpenPrompt, PromptAnswer } from '../../../extension/src/background/pin-prompt.ts';

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
      return {
        ask: (state) => {
          fake.states.push(structuredClone(state));
          const next = answers.shift() ?? 'hang';
          return next === 'hang' ? new Promise<PromptAnswer>(() => {}) : Promise.resolve(next);
        },
        close: () => {
          fake.closed++;
        },
      };
    },
  };
  return fake;
}
