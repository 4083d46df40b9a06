/** What every command gets: the card backend and a clock (tests move it to exercise expiry). */
import type { CardBackend } from '../card/backend.ts';

export interface CommandContext {
  backend: CardBackend;
  now(): Date;
}
