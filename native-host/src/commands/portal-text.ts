/**
 * `portal-text` (`launchApp` mode 04, 券面事項入力補助): the card face's name, address, date of
 * birth and sex from the text application, behind the text PIN, with every policy step of the
 * other PINs (format, counter, last try, lock). Only EF 0002 is read: the text application's
 * My Number (EF 0001) has no name in the host (card/text-app.ts).
 */
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import type { CommandContext } from './context.ts';
import { withPortalCard } from './portal-card.ts';
import { pinBytes, unlockText, wipe } from './policy.ts';

export async function portalText(args: CommandArguments<'portal-text'>, ctx: CommandContext): Promise<CommandResult<'portal-text'>> {
  const pin = pinBytes('text', args.pin);
  try {
    return await withPortalCard(ctx, async (card) => {
      const text = await unlockText(card, pin, args.confirmLastTry);
      return await text.readAttributes();
    });
  } finally {
    wipe(pin);
  }
}
