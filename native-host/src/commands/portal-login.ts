/**
 * `portal-login` (`launchApp` mode 01): the authentication key over the DigestInfo a portal site
 * gave — the only path on which that key signs a caller's hash. The surface is allow-listed by
 * the extension; the shared validator has checked that the data is a DigestInfo and nothing a
 * login token signs (shared/src/protocol/checks.ts).
 */
import { base64ToBytes, bytesToBase64 } from '@jpki-bridge/shared/base64';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { withJpkiCard } from '../card/choose-card.ts';
import type { CommandContext } from './context.ts';
import { pinBytes, unlockAuth, wipe } from './policy.ts';

export async function portalLogin(args: CommandArguments<'portal-login'>, ctx: CommandContext): Promise<CommandResult<'portal-login'>> {
  const pin = pinBytes('auth', args.pin);
  try {
    const digestInfo = base64ToBytes(args.digestInfo);
    return await withJpkiCard(ctx.backend, async (card) => {
      const certificate = await unlockAuth(card, pin, args.confirmLastTry, ctx.now());
      const signature = await card.sign('auth', digestInfo);
      return { signature: bytesToBase64(signature), certificate: bytesToBase64(certificate) };
    });
  } finally {
    wipe(pin);
  }
}
