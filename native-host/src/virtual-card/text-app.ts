/**
 * The text application's files (券面事項入力補助AP), from the persona — the same name, address,
 * date of birth and sex the signing certificate carries, so a card never contradicts itself.
 * EF 0002 is `FF20 { DF21 header, DF22 name, DF23 address, DF24 birth YYYYMMDD, DF25 sex }`;
 * readers (jpki/myna, ours) take the elements by position and skip the header, whose content is a
 * placeholder here. EF 0001 holds the fake My Number (as TLV FF10, this card's own choice: nothing
 * may read it, and the host has no way to name it).
 */
import { TEXT_EF } from '@jpki-bridge/shared/card-apps';
import { tlv, utf8 } from './ber.ts';
import type { CardFile } from './files.ts';
import type { VirtualCardState } from './state.ts';

/** EF 0001 on a real card; deliberately not in shared's TEXT_EF, which names what the host may touch. */
export const MY_NUMBER_EF = '0001';

const HEADER_PLACEHOLDER = Uint8Array.from([0x00, 0x00, 0x00]);

export function buildTextFiles(state: VirtualCardState): Map<string, CardFile> {
  const { persona } = state;
  const attributes = tlv(
    [0xff, 0x20],
    tlv([0xdf, 0x21], HEADER_PLACEHOLDER),
    tlv([0xdf, 0x22], utf8(persona.name)),
    tlv([0xdf, 0x23], utf8(persona.address)),
    tlv([0xdf, 0x24], utf8(persona.birth.replaceAll('-', ''))),
    tlv([0xdf, 0x25], utf8(persona.sex)),
  );
  return new Map<string, CardFile>([
    [TEXT_EF.pin, { kind: 'pin', pin: 'text' }],
    [TEXT_EF.attributes, { kind: 'binary', data: attributes, access: 'text' }],
    [MY_NUMBER_EF, { kind: 'binary', data: tlv([0xff, 0x10], utf8(state.text.myNumber)), access: 'text' }],
  ]);
}
