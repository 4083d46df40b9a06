/**
 * The signing key as a document signer, for the CLI: one card session, one VERIFY of the signing
 * password, the signing certificate (readable only now, refused when expired), then as many
 * SHA-256 hashes signed as the caller asks inside `fn` — the same policy steps as the host's
 * `sign` command (commands/policy.ts). The password's bytes are wiped when `fn` ends.
 */
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import type { CardBackend } from '../card/backend.ts';
import { withJpkiCard } from '../card/choose-card.ts';
import { pinBytes, unlockSigning, wipe } from '../commands/policy.ts';

export interface CardSigner {
  /** The signing certificate, DER. */
  certificate: Uint8Array;
  /** RSASSA-PKCS1-v1_5 over DigestInfo(SHA-256, hash) with the signing key. */
  sign(hash: Uint8Array): Promise<Uint8Array>;
}

export interface CardSignerOptions {
  now?: Date;
  /** With one try left the card is not asked unless the user confirmed (ERR_JPKI_PIN_LAST_TRY otherwise). */
  confirmLastTry?: boolean;
}

export async function withCardSigner<T>(
  backend: CardBackend,
  password: string,
  options: CardSignerOptions,
  fn: (signer: CardSigner) => Promise<T>,
): Promise<T> {
  const pin = pinBytes('sign', password);
  try {
    return await withJpkiCard(backend, async (card) => {
      const certificate = await unlockSigning(card, pin, options.confirmLastTry, options.now ?? new Date());
      return fn({ certificate, sign: (hash) => card.sign('sign', buildDigestInfo('SHA-256', hash)) });
    });
  } finally {
    wipe(pin);
  }
}
