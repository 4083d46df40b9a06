/** `status`: readers, and the JPKI card when exactly one is present, with every PIN's tries left. Needs no PIN, spends no try. */
import { bytesToBase64 } from '@jpki-bridge/shared/base64';
import { EF } from '@jpki-bridge/shared/card';
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { VERSION } from '@jpki-bridge/shared/version';
import { cardTypeOf } from '../card/jpki-card.ts';
import { TextApp } from '../card/text-app.ts';
import type { CommandContext } from './context.ts';

export async function status(_args: CommandArguments<'status'>, ctx: CommandContext): Promise<CommandResult<'status'>> {
  return ctx.backend.withReaders(async (slots) => {
    // `jpki`: this reader holds a JPKI card (the popup says which one).
    const readers = slots.map((slot) => ({ name: slot.name, cardPresent: slot.cardPresent, jpki: slot.card !== null }));
    const jpki = slots.filter((slot) => slot.card !== null);
    // Several JPKI cards: list the readers, describe none (a command would refuse to choose too).
    if (jpki.length !== 1) {
      if (jpki.length === 0 && slots.some((slot) => slot.busy)) throw new JpkiError('ERR_JPKI_CARD_BUSY');
      return { version: VERSION, readers, card: null };
    }
    const card = jpki[0]!.card!;
    const authCertificate = await card.readCertificate(EF.authCertificate);
    const availability = await card.availability();
    const auth = await card.retries('auth');
    const sign = availability.sign ? await card.retries('sign') : 0;
    const type = cardTypeOf(await card.tokenLabel());
    // Last: the text application takes the card away from the JPKI applet.
    const textApp = await TextApp.openIfPresent(card);
    const text = textApp ? await textApp.retries() : null;
    return {
      version: VERSION,
      readers,
      card: { type, authCertificate: bytesToBase64(authCertificate), hasSigningCertificate: availability.sign, retries: { auth, sign, text } },
    };
  }, 'all');
}
