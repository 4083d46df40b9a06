/**
 * The virtual cards the unit tests share: each is made once per run (test/harness/fixture-cache.ts)
 * — a card's four RSA-2048 keys cost about a second of CPU — and every caller gets a copy of its
 * state to change as it likes. Two adults, so a test can hold one card against another with a
 * development CA of its own. The tests of card creation itself make their own cards.
 */
import { createCardState, type CreateCardOptions } from '../../native-host/src/virtual-card/issue.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { sharedFixture } from '../harness/fixture-cache.ts';

const CARDS = {
  adult: { persona: 'adult' },
  'other-adult': { persona: 'adult' },
  minor: { persona: 'minor' },
  expired: { persona: 'expired' },
  'auth-pin-locked': { persona: 'auth-pin-locked' },
  'sign-pin-locked': { persona: 'sign-pin-locked' },
  revoked: { persona: 'revoked' },
  moved: { persona: 'moved' },
  /** An adult whose certificate says who she is, for the card-face and text tests. */
  hanako: { name: '試験 花子', address: '大阪府大阪市北区中之島1-3-20', birth: '1990-02-28', sex: '2' },
} satisfies Record<string, CreateCardOptions>;

export type SharedCard = keyof typeof CARDS;

export async function sharedCardState(name: SharedCard): Promise<VirtualCardState> {
  return sharedFixture(`card-${name}`, () => createCardState(CARDS[name]));
}
