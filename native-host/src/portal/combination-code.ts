/**
 * The portal protocol's combination code: lowercase hex of SHA-256(salt ‖ the card's manufacture
 * number as ASCII ‖ the installation uuid's 16 bytes) — the salt and layout are those of the
 * jpki/myna client, which real portals accept. It ties one card to one installation without
 * showing either: the raw manufacture number stays inside this module's caller chain and never
 * goes into an answer, a log line or an error message.
 */
import { createHash } from 'node:crypto';
import { readManufactureNumber } from '../card/card-id-app.ts';
import type { JpkiCard } from '../card/jpki-card.ts';
import { uuidBytes } from './installation-uuid.ts';

export const COMBINATION_SALT = Uint8Array.from(Buffer.from('2e71f6620bc654ced494e5ec34fe03c8', 'hex'));

export function combinationCode(manufactureNumber: string, uuid: string): string {
  if (!/^[\x20-\x7e]+$/.test(manufactureNumber)) throw new RangeError('a manufacture number is printable ASCII');
  return createHash('sha256').update(COMBINATION_SALT).update(Buffer.from(manufactureNumber, 'ascii')).update(uuidBytes(uuid)).digest('hex');
}

/**
 * Reads the manufacture number from the card (card-ID application) and returns only the code.
 * Call it inside the operation's exclusive hold, after its JPKI work, as jpki/myna does.
 */
export async function readCombinationCode(card: Pick<JpkiCard, 'lend'>, uuid: string): Promise<string> {
  uuidBytes(uuid); // a bad uuid is refused before the card is touched
  return combinationCode(await readManufactureNumber(card), uuid);
}
