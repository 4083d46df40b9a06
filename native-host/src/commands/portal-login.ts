/**
 * `portal-login` (§3.2 mode 01): the authentication key over the DigestInfo a portal site gave.
 * The only path on which that key signs a caller's hash (§5 step 6); the surface is allow-listed
 * by the extension, and the DigestInfo form was checked by the shared validator.
 */
import { base64ToBytes, bytesToBase64 } from '@jpki-bridge/shared/base64';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { withJpkiCard } from '../card/choose-card.ts';
import { refuseExpired } from '../card/certificate.ts';
import type { CommandContext } from './context.ts';
import { certificateEf, checkRetries, pinBytes, wipe } from './policy.ts';

export async function portalLogin(args: CommandArguments<'portal-login'>, ctx: CommandContext): Promise<CommandResult<'portal-login'>> {
  const pin = pinBytes('auth', args.pin);
  try {
    const digestInfo = base64ToBytes(args.digestInfo);
    return await withJpkiCard(ctx.backend, async (card) => {
      const certificate = await card.readCertificate(certificateEf('auth'));
      refuseExpired(certificate, ctx.now()); // step 5, before VERIFY for authentication
      await checkRetries(card, 'auth', args.confirmLastTry);
      await card.verify('auth', pin);
      const signature = await card.sign('auth', digestInfo);
      return { signature: bytesToBase64(signature), certificate: bytesToBase64(certificate) };
    });
  } finally {
    wipe(pin);
  }
}
