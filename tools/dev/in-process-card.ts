/**
 * The virtual card without a browser, a host process or PC/SC: for a site's unit tests of its
 * login and signing endpoints. The card is the product's VirtualJpkiCard; what drives it is the
 * host's own command code (commands/authenticate.ts, commands/sign.ts) with the host's argument
 * checks, so the token is byte for byte the one the host would send the extension for the same
 * card, origin and nonce (RSA PKCS#1 v1.5 is deterministic).
 *
 *   const card = await createVirtualCard({ persona: 'adult' });
 *   const token = await card.authenticate({ origin: 'https://example.jp', challengeNonce: nonce });
 *   // verifier trusting card.developmentCa (with JPKI_TEST_POLICY_OIDS) → ok
 *   const { certificate, signatures } = await card.sign({ hashes: [hash], hashFunction: 'SHA-256' });
 */
import { randomUUID } from 'node:crypto';
import type { AuthToken, CommandArguments, SignResult } from '@jpki-bridge/shared/protocol/native';
import { parseCommandArguments } from '@jpki-bridge/shared/protocol/validate';
import { singleCardBackend } from '../../native-host/src/card/single-card-backend.ts';
import { authenticate } from '../../native-host/src/commands/authenticate.ts';
import type { CommandContext } from '../../native-host/src/commands/context.ts';
import { sign } from '../../native-host/src/commands/sign.ts';
import { createCardState, devCaCrls, devCaRoots, VirtualJpkiCard, type VirtualCardState } from '../../native-host/src/virtual-card/index.ts';
import { createPresence } from './in-process-presence.ts';
import { VIRTUAL_PINS, type Persona } from './personas.ts';
import { checkWithout, type Without } from './without.ts';

/** The one reader the in-process backend shows (what `status` would name). */
export const IN_PROCESS_READER_NAME = 'jpki-bridge virtual card (browserless)';

export interface VirtualCardOptions {
  /** Who the card is (personas.ts): `adult` (default), `minor`, `expired`, `auth-pin-locked`, `sign-pin-locked`, `revoked`, `moved`. */
  persona?: Persona;
  /** An existing card's state (e.g. loaded from a `virtual-card create` file) instead of a new card. */
  state?: VirtualCardState;
  /** The host's clock for expiry checks. Default: the wall clock. */
  now?: () => Date;
  /** Start with no card on the reader (`insert()` puts it there), no reader, or no host installed (without.ts). */
  without?: Without;
}

export interface AuthenticateInput {
  /** The site's origin, as the extension takes it from the tab: `https://example.jp`. */
  origin: string;
  challengeNonce: string;
  /** Default: the card's authentication PIN. A wrong one costs a try, as on the card. */
  pin?: string;
}

export interface SignInput {
  /** Base64 (or bytes) of each hash, 1–16 of them. */
  hashes: ReadonlyArray<string | Uint8Array>;
  hashFunction: CommandArguments<'sign'>['hashFunction'];
  /** When given, must be the card's signing certificate (base64 DER), else ERR_JPKI_CERTIFICATE_MISMATCH. */
  certificate?: string;
  /** Default: the card's signing PIN. */
  pin?: string;
  /** The site's origin. Default `http://localhost`. */
  origin?: string;
}

export interface InProcessVirtualCard {
  readonly persona: Persona;
  /** The card's state (keys, certificates, PIN counters), changed by every operation as on the card. */
  readonly state: VirtualCardState;
  readonly pins: typeof VIRTUAL_PINS;
  /** PEM of the development CA (authentication and signing issuers): what a test verifier trusts. */
  readonly developmentCa: string;
  /** The development CA's CRLs (DER, fresh for a day): `new CrlRevocationChecker(card.crls())` in a test verifier. */
  crls(now?: Date): Buffer[];
  /** The `jpki-bridge:1` login token, exactly as `jpki.authenticate(challengeNonce)` gives it to the page. */
  authenticate(input: AuthenticateInput): Promise<AuthToken>;
  /** `jpki.sign(hashes, hashFunction)`: one VERIFY with the signing PIN, then each hash signed. */
  sign(input: SignInput): Promise<SignResult>;
  /** The card leaves its reader: calls fail with ERR_JPKI_NO_CARD until insert(). */
  pull(): void;
  /** The same card back on its reader (PIN counters as they were). */
  insert(): void;
  /** The host dies, as a crash would: the next call fails with ERR_JPKI_NATIVE_UNAVAILABLE, the one after starts a new host. */
  stopHost(): void;
}

/** Errors are the host's: a JpkiError with `code` (ERR_JPKI_PIN_INCORRECT with `retriesLeft`, …). */
export async function createVirtualCard(options: VirtualCardOptions = {}): Promise<InProcessVirtualCard> {
  const presence = createPresence(checkWithout(options.without));
  const state = options.state ?? (await createCardState({ persona: options.persona ?? 'adult' }));
  const card = new VirtualJpkiCard(state);
  const backend = presence.backend(
    singleCardBackend(IN_PROCESS_READER_NAME, async () =>
      presence.cardInserted ? { transport: { transmit: async (apdu) => card.transmit(apdu) }, release: () => card.reset() } : null,
    ),
  );
  const uuid = randomUUID();
  const ctx: CommandContext = { backend, now: options.now ?? (() => new Date()), installationUuid: async () => uuid };
  const roots = devCaRoots(state);
  const toBase64 = (hash: string | Uint8Array) => (typeof hash === 'string' ? hash : Buffer.from(hash).toString('base64'));
  return {
    persona: state.persona.kind,
    state,
    pins: VIRTUAL_PINS,
    developmentCa: roots.auth + roots.sign,
    crls: (now) => devCaCrls(state, now),
    // The arguments are checked first, as the extension checks them before it starts the host.
    authenticate: async ({ origin, challengeNonce, pin = VIRTUAL_PINS.auth }) => {
      const args = parseCommandArguments('authenticate', { origin, challengeNonce, pin });
      presence.beforeCommand();
      return authenticate(args, ctx);
    },
    sign: async ({ hashes, hashFunction, certificate, pin = VIRTUAL_PINS.sign, origin = 'http://localhost' }) => {
      const args = parseCommandArguments('sign', {
        origin,
        hashes: hashes.map(toBase64),
        hashFunction,
        pin,
        ...(certificate !== undefined ? { certificate } : {}),
      });
      presence.beforeCommand();
      return sign(args, ctx);
    },
    pull: () => presence.pull(),
    insert: () => presence.insert(),
    stopHost: () => presence.stopHost(),
  };
}
