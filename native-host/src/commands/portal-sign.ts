/** `portal-sign` (§3.2 mode 02): the signing key over each DigestInfo, one VERIFY for all. */
import { base64ToBytes, bytesToBase64 } from '@jpki-bridge/shared/base64';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { withJpkiCard } from '../card/choose-card.ts';
import type { CommandContext } from './context.ts';
import { pinBytes, wipe } from './policy.ts';
import { unlockSigning } from './signing-session.ts';

export async function portalSign(args: CommandArguments<'portal-sign'>, ctx: CommandContext): Promise<CommandResult<'portal-sign'>> {
  const pin = pinBytes('sign', args.pin);
  try {
    const digestInfos = args.digestInfos.map(base64ToBytes);
    return await withJpkiCard(ctx.backend, async (card) => {
      const certificate = await unlockSigning(card, pin, args.confirmLastTry, ctx.now());
      const signatures: string[] = [];
      for (const digestInfo of digestInfos) signatures.push(bytesToBase64(await card.sign('sign', digestInfo)));
      return { signatures, certificate: bytesToBase64(certificate) };
    });
  } finally {
    wipe(pin);
  }
}
