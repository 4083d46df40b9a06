/** `get-signing-certificate`: the card shows this certificate only after the signing PIN is verified. */
import { bytesToBase64 } from '@jpki-bridge/shared/base64';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { withJpkiCard } from '../card/choose-card.ts';
import type { CommandContext } from './context.ts';
import { pinBytes, unlockSigning, wipe } from './policy.ts';

export async function getSigningCertificate(
  args: CommandArguments<'get-signing-certificate'>,
  ctx: CommandContext,
): Promise<CommandResult<'get-signing-certificate'>> {
  const pin = pinBytes('sign', args.pin);
  try {
    return await withJpkiCard(ctx.backend, async (card) => {
      const certificate = await unlockSigning(card, pin, args.confirmLastTry, ctx.now());
      return { certificate: bytesToBase64(certificate) };
    });
  } finally {
    wipe(pin);
  }
}
