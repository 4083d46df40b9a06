/**
 * `change-pin` (any PIN kind: the two keys' and the text PIN): both PINs checked against their
 * rule first (no card contact otherwise), then steps 2–4 for the old one and `00 24 01 80 <new PIN>`
 * where that PIN lives. No certificate is used or produced,
 * so the expiry step does not apply (docs/DECISIONS.md).
 */
import type { CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import { withJpkiCard } from '../card/choose-card.ts';
import type { CommandContext } from './context.ts';
import { pinBytes, unlock, wipe } from './policy.ts';

export async function changePin(args: CommandArguments<'change-pin'>, ctx: CommandContext): Promise<CommandResult<'change-pin'>> {
  const pin = pinBytes(args.kind, args.pin);
  let newPin: Uint8Array | undefined;
  try {
    newPin = pinBytes(args.kind, args.newPin, 'new PIN');
    const next = newPin;
    await withJpkiCard(ctx.backend, async (card) => {
      const slot = await unlock(card, args.kind, pin, args.confirmLastTry);
      await slot.changePin(next);
    });
    return {};
  } finally {
    wipe(pin, newPin);
  }
}
