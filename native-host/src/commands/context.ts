/**
 * What every command gets: the card backend, a clock (tests move it to exercise expiry) and the
 * installation uuid of the portal protocol (tests keep it in a directory of their own).
 */
import type { CardBackend } from '../card/backend.ts';
import { installationUuid } from '../portal/installation-uuid.ts';

export interface CommandContext {
  backend: CardBackend;
  now(): Date;
  /** This installation's uuid, created on first use (portal/installation-uuid.ts). */
  installationUuid(): Promise<string>;
}

/** The context of a real run: the wall clock and the uuid in the user's configuration directory ($XDG_CONFIG_HOME/jpki-bridge on Linux). */
export function commandContext(backend: CardBackend): CommandContext {
  return { backend, now: () => new Date(), installationUuid: () => installationUuid() };
}
