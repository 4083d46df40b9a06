/**
 * The card-ID application: the card's manufacture number, which the portal protocol hashes into
 * the combination code (portal/combination-code.ts). Read after the JPKI work of an operation,
 * as jpki/myna does; the JPKI applet is selected again by itself if it is needed afterwards.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { SW } from '@jpki-bridge/shared/card';
import { CARD_ID_AID, CARD_ID_RECORD, MANUFACTURE_NUMBER_SPAN } from '@jpki-bridge/shared/card-apps';
import { Apdu } from './apdu.ts';
import { readTlv } from './ber-tlv.ts';
import type { JpkiCard } from './jpki-card.ts';
import { expectOk } from './status-words.ts';
import { exchange } from './transport.ts';

/** SELECT the card-ID application, READ RECORD 1 of SFI 1 (`00 B2 01 0C 00`), characters [2, 15) of its value. */
export async function readManufactureNumber(card: Pick<JpkiCard, 'lend'>): Promise<string> {
  const transport = card.lend({});
  const selected = await exchange(transport, Apdu.selectDf(CARD_ID_AID));
  if (selected.sw === SW.FILE_NOT_FOUND) throw new JpkiError('ERR_JPKI_CARD_ERROR', 'the card has no card-ID application');
  expectOk(selected.sw, 'SELECT card-ID application');
  const { data, sw } = await exchange(transport, Apdu.readRecord(CARD_ID_RECORD.record, CARD_ID_RECORD.sfi));
  expectOk(sw, 'READ RECORD (card ID)');
  return manufactureNumberOf(readTlv(data).value);
}

/** The span of the record's value, which must be printable ASCII (it is hashed "as ASCII"). */
export function manufactureNumberOf(value: Uint8Array): string {
  const { start, end } = MANUFACTURE_NUMBER_SPAN;
  if (value.length < end) throw new JpkiError('ERR_JPKI_CARD_ERROR', `the card-ID record holds ${value.length} bytes, fewer than ${end}`);
  const span = value.subarray(start, end);
  if (!span.every((byte) => byte >= 0x20 && byte <= 0x7e)) throw new JpkiError('ERR_JPKI_CARD_ERROR', 'the manufacture number is not printable ASCII');
  return String.fromCharCode(...span);
}
