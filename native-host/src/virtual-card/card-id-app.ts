/**
 * The card-ID application's one record: a BER TLV whose value is ASCII text with the manufacture
 * number at characters [2, 15), as jpki/myna reads it. A real card's tag and first two
 * characters are not known here; readers ignore them (tag 30 as in jpki/myna's own test).
 */
import { MANUFACTURE_NUMBER_SPAN } from '@jpki-bridge/shared/card-apps';
import { tlv } from './ber.ts';
import type { VirtualCardState } from './state.ts';

const PREFIX = 'VC';

export function cardIdRecord(state: VirtualCardState): Uint8Array {
  const text = PREFIX + state.cardId.manufactureNumber;
  if (PREFIX.length !== MANUFACTURE_NUMBER_SPAN.start || text.length !== MANUFACTURE_NUMBER_SPAN.end) {
    throw new RangeError('the manufacture number must fill characters [2, 15) of the record');
  }
  return tlv([0x30], Buffer.from(text, 'ascii'));
}
