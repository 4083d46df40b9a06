/** `portal-sign` (`launchApp` mode 02): the signing key over each of the page's digests as they are, one VERIFY for all. */
import { base64ToBytes, bytesToBase64 } from '@jpki-bridge/shared/base64';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import type { CommandContext } from './context.ts';
import { withPortalCard } from './portal-card.ts';
import { pinBytes, signEach, unlockSigning, wipe } from './policy.ts';

export async function portalSign(args: CommandArguments<'portal-sign'>, ctx: CommandContext): Promise<CommandResult<'portal-sign'>> {
  const pin = pinBytes('sign', args.pin);
  try {
    const digests = args.digests.map(base64ToBytes);
    return await withPortalCard(ctx, async (card) => {
      const certificate = await unlockSigning(card, pin, args.confirmLastTry, ctx.now());
      return { signatures: await signEach(card, digests), certificate: bytesToBase64(certificate) };
    });
  } finally {
    wipe(pin);
  }
}
