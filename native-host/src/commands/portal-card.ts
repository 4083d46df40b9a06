/**
 * The frame of every portal command that reaches the card (modes 01, 02, 04): the installation
 * uuid is read first — a damaged uuid file fails before any card contact, so it never costs a
 * try — and the combination code is read after the operation's own work, inside the SAME
 * exclusive hold (the card that signed or unlocked is the card the code names). The raw
 * manufacture number never leaves readCombinationCode; the answer carries only the code.
 */
import { withJpkiCard } from '../card/choose-card.ts';
import type { JpkiCard } from '../card/jpki-card.ts';
import { readCombinationCode } from '../portal/combination-code.ts';
import type { CommandContext } from './context.ts';

export interface PortalIdentity {
  uuid: string;
  combinationCode: string;
}

export async function withPortalCard<T extends object>(ctx: CommandContext, work: (card: JpkiCard) => Promise<T>): Promise<T & PortalIdentity> {
  const uuid = await ctx.installationUuid();
  return withJpkiCard(ctx.backend, async (card) => {
    const result = await work(card);
    return { ...result, uuid, combinationCode: await readCombinationCode(card, uuid) };
  });
}
