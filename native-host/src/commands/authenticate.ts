/**
 * `authenticate`: the login token (shared/src/auth-token.ts). The host builds the signed data
 * itself — the labelled block over SHA-256(SHA-256(origin) ‖ SHA-256(challengeNonce)) — so the
 * authentication key never signs a caller's raw hash here, and what it signs here is never a
 * DigestInfo that the portal path could also be made to sign.
 */
import { createHash } from 'node:crypto';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, authTokenHash, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { bytesToBase64 } from '@jpki-bridge/shared/base64';
import { APP_VERSION_PREFIX } from '@jpki-bridge/shared/constants';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { VERSION } from '@jpki-bridge/shared/version';
import { withJpkiCard } from '../card/choose-card.ts';
import type { CommandContext } from './context.ts';
import { pinBytes, unlockAuth, wipe } from './policy.ts';

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

export async function authenticate(args: CommandArguments<'authenticate'>, ctx: CommandContext): Promise<CommandResult<'authenticate'>> {
  const pin = pinBytes('auth', args.pin); // step 1: no card contact before this passes
  try {
    const block = buildAuthBlock(authTokenHash(sha256, args.origin, args.challengeNonce));
    return await withJpkiCard(ctx.backend, async (card) => {
      const certificate = await unlockAuth(card, pin, args.confirmLastTry, ctx.now());
      const signature = await card.sign('auth', block);
      return {
        format: AUTH_TOKEN_FORMAT,
        unverifiedCertificate: bytesToBase64(certificate),
        algorithm: AUTH_TOKEN_ALGORITHM,
        signature: bytesToBase64(signature),
        appVersion: `${APP_VERSION_PREFIX}${VERSION}`,
      };
    });
  } finally {
    wipe(pin);
  }
}
