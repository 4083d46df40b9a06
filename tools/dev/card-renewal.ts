/**
 * The same resident's next card: what renewal (the certificates end on the fifth birthday after
 * issue), a reissue or a lost card gives a site — new keys and new certificates from the same
 * issuer, so the authentication certificate a site saw before is gone while the signing
 * certificate still carries the same name and date of birth. With `person`, another resident's
 * card from the same development CA instead (a site's "different person" test).
 *
 *   const next = await renewedCardState(card.state);                       // same person
 *   const other = await renewedCardState(card.state, { name: '…', birth: '1990-01-01' });
 */
import { createCardState, type VirtualCardState } from '../../native-host/src/virtual-card/index.ts';

/** Who the new card is issued to, when not the same person: any of these differ. */
export interface CardHolder {
  name?: string;
  /** YYYY-MM-DD */
  birth?: string;
  address?: string;
}

export async function renewedCardState(previous: VirtualCardState, person: CardHolder = {}): Promise<VirtualCardState> {
  const { kind, name, birth, address, sex } = previous.persona;
  return createCardState({ persona: kind, name, birth, address, sex, ...person, ca: previous.ca });
}
