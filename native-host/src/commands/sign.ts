/**
 * `sign` (= jpki:sign): one VERIFY, the signing certificate, the optional comparison with the
 * page's `certificate` (mismatch → nothing signed), then every hash as DigestInfo(hashFunction, hash).
 */
import { base64ToBytes, bytesToBase64 } from '@jpki-bridge/shared/base64';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { withJpkiCard } from '../card/choose-card.ts';
import type { CommandContext } from './context.ts';
import { pinBytes, signEach, unlockSigning, wipe } from './policy.ts';

export async function sign(args: CommandArguments<'sign'>, ctx: CommandContext): Promise<CommandResult<'sign'>> {
  const pin = pinBytes('sign', args.pin);
  try {
    const digestInfos = args.hashes.map((hash) => buildDigestInfo(args.hashFunction, base64ToBytes(hash)));
    const expected = args.certificate !== undefined ? base64ToBytes(args.certificate) : null;
    return await withJpkiCard(ctx.backend, async (card) => {
      const certificate = await unlockSigning(card, pin, args.confirmLastTry, ctx.now());
      if (expected && !sameBytes(expected, certificate)) throw new JpkiError('ERR_JPKI_CERTIFICATE_MISMATCH');
      return {
        certificate: bytesToBase64(certificate),
        signatures: await signEach(card, digestInfos),
        signatureAlgorithm: { cryptoAlgorithm: 'RSA', hashFunction: args.hashFunction, paddingScheme: 'PKCS1.5' },
      };
    });
  } finally {
    wipe(pin);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
