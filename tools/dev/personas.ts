/**
 * Who the virtual card can be, and its PINs. Both are the product's facts (the virtual card ships
 * with the CLI: `jpki-bridge virtual-card create --persona …`), re-exported here under the names the
 * demo and the tests use.
 *
 * - `adult`: both certificates, valid; the signing certificate carries name, address, birth, sex.
 * - `minor`: under 15, so no signing certificate (EF 0008 says so, EF 0001 is absent).
 * - `expired`: issued six years ago, past its fifth-birthday expiry: both certificates expired.
 * - `auth-pin-locked` / `sign-pin-locked`: an adult whose 利用者証明用 (3 misses) or 署名用 (5 misses)
 *   PIN is locked: the host answers ERR_JPKI_PIN_LOCKED without a VERIFY.
 * - `revoked`: a lost card: both certificates on the development CA's CRLs (dev-crl.ts).
 * - `moved`: after a change of address the signing certificate is revoked (it carries the address),
 *   the authentication certificate stays valid: login works, signatures are refused.
 */
import { DEFAULT_PINS, type PersonaKind } from '../../native-host/src/virtual-card/state.ts';

export type Persona = PersonaKind;

/** The PINs of every freshly created card, by kind (authentication `1234`, signing `ABC123`, …). */
export const VIRTUAL_PINS = DEFAULT_PINS;
