/** `portal-sign` (`launchApp` mode 02): the signing key over each DigestInfo, one VERIFY for all. */
import { base64ToBytes, bytesToBase64 } from '@jpki-bridge/shared/base64';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { withJpkiCard } from '../card/choose-card.ts';
import type { CommandContext } from './context.ts';
import { pinBytes, signEach, unlockSigning, wipe } from './policy.ts';

export async function portalSign(args: CommandArguments<'portal-sign'>, ctx: CommandContext): Promise<CommandResult<'portal-sign'>> {
  const pin = pinBytes('sign', args.pin);
  try {
    const digestInfos = args.digestInfos.map(base64ToBytes);
    return await withJpkiCard(ctx.backend, async (card) => {
      const certificate = await unlockSigning(card, pin, args.confirmLastTry, ctx.now());
      return { signatures: await signEach(card, digestInfos), certificate: bytesToBase64(certificate) };
    });
  } finally {
    wipe(pin);
  }
}
