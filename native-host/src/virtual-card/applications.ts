/**
 * The applications on the virtual card, found by AID: the JPKI applet, the card-ID application
 * and the text application. Each has its own EFs (SELECT by FID finds only the selected one's) and
 * record files by short EF identifier (READ RECORD).
 */
import { JPKI_AID } from '@jpki-bridge/shared/card';
import { CARD_ID_AID, CARD_ID_RECORD, TEXT_AID } from '@jpki-bridge/shared/card-apps';
import { cardIdRecord } from './card-id-app.ts';
import { buildFiles, type CardFile } from './files.ts';
import type { VirtualCardState } from './state.ts';
import { buildTextFiles } from './text-app.ts';

export interface CardApplication {
  aid: Uint8Array;
  files: Map<string, CardFile>;
  /** Record files by SFI; record n is entry n − 1. */
  records: Map<number, Uint8Array[]>;
}

export function buildApplications(state: VirtualCardState): CardApplication[] {
  return [
    { aid: JPKI_AID, files: buildFiles(state), records: new Map() },
    { aid: CARD_ID_AID, files: new Map(), records: new Map([[CARD_ID_RECORD.sfi, [cardIdRecord(state)]]]) },
    { aid: TEXT_AID, files: buildTextFiles(state), records: new Map() },
  ];
}
