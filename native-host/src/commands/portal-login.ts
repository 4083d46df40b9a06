/**
 * `portal-login` (`launchApp` mode 01): the authentication key over the bytes a portal site gave,
 * as they are — the only path on which that key signs a caller's data. The surface is
 * allow-listed by the extension; the shared validator has checked that the data fits the card
 * and is nothing a login token signs (shared/src/protocol/checks.ts).
 */
import { base64ToBytes, bytesToBase64 } from '@jpki-bridge/shared/base64';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import type { CommandContext } from './context.ts';
import { withPortalCard } from './portal-card.ts';
import { pinBytes, unlockAuth, wipe } from './policy.ts';

export async function portalLogin(args: CommandArguments<'portal-login'>, ctx: CommandContext): Promise<CommandResult<'portal-login'>> {
  const pin = pinBytes('auth', args.pin);
  try {
    const digest = base64ToBytes(args.digest);
    return await withPortalCard(ctx, async (card) => {
      const certificate = await unlockAuth(card, pin, args.confirmLastTry, ctx.now());
      const signature = await card.sign('auth', digest);
      return { signature: bytesToBase64(signature), certificate: bytesToBase64(certificate) };
    });
  } finally {
    wipe(pin);
  }
}
