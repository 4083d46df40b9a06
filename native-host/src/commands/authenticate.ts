/**
 * `authenticate`: the web-eid:1.0 token of DESIGN §6. The host builds the signed data itself —
 * SHA-256(origin) ‖ SHA-256(challengeNonce) — so the authentication key never signs a caller's
 * raw hash here (§5 step 6); the card gets DigestInfo(SHA-256(those 64 bytes)).
 */
import { createHash } from 'node:crypto';
import { bytesToBase64 } from '@jpki-bridge/shared/base64';
import { APP_VERSION_PREFIX, TOKEN_ALGORITHM, TOKEN_FORMAT } from '@jpki-bridge/shared/constants';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { VERSION } from '@jpki-bridge/shared/version';
import { withJpkiCard } from '../card/choose-card.ts';
import { refuseExpired } from '../card/certificate.ts';
import type { CommandContext } from './context.ts';
import { certificateEf, checkRetries, pinBytes, wipe } from './policy.ts';

/** The 64 bytes the token's signature covers (what a web-eid verifier recomputes). */
export function authSignedData(origin: string, challengeNonce: string): Uint8Array {
  const out = new Uint8Array(64);
  out.set(createHash('sha256').update(origin, 'utf8').digest(), 0);
  out.set(createHash('sha256').update(challengeNonce, 'utf8').digest(), 32);
  return out;
}

export async function authenticate(args: CommandArguments<'authenticate'>, ctx: CommandContext): Promise<CommandResult<'authenticate'>> {
  const pin = pinBytes('auth', args.pin); // step 1: no card contact before this passes
  try {
    const digest = createHash('sha256').update(authSignedData(args.origin, args.challengeNonce)).digest();
    return await withJpkiCard(ctx.backend, async (card) => {
      // Step 5 for authentication comes before VERIFY: its certificate needs no PIN. It is read
      // first (before step 2) because the token needs it anyway and the PIN EF then stays
      // selected for the retry counter and VERIFY — one APDU fewer (docs/DECISIONS.md).
      const certificate = await card.readCertificate(certificateEf('auth'));
      refuseExpired(certificate, ctx.now());
      await checkRetries(card, 'auth', args.confirmLastTry);
      await card.verify('auth', pin);
      const signature = await card.sign('auth', buildDigestInfo('SHA-256', digest));
      return {
        format: TOKEN_FORMAT,
        unverifiedCertificate: bytesToBase64(certificate),
        algorithm: TOKEN_ALGORITHM,
        signature: bytesToBase64(signature),
        appVersion: `${APP_VERSION_PREFIX}${VERSION}`,
      };
    });
  } finally {
    wipe(pin);
  }
}
