/**
 * PIN verification, retry counters and the session's security status. The counters live in the
 * state (they survive restarts); "verified" lives only here and dies with a reset.
 */
import { SW } from '@jpki-bridge/shared/card';
import { checkPin } from '@jpki-bridge/shared/pin';
import { SW_EXTRA } from './apdu.ts';
import type { PinKind, PinState } from './state.ts';

export class PinChecker {
  private readonly verified = new Set<PinKind>();

  constructor(
    private readonly pins: Record<PinKind, PinState>,
    private readonly changed: () => void,
  ) {}

  isVerified(kind: PinKind): boolean {
    return this.verified.has(kind);
  }

  /** Warm reset or power cycle: security status is lost. */
  clear(): void {
    this.verified.clear();
  }

  /**
   * VERIFY without data: the retry counter, spending nothing. Always `63 Cx`, even when
   * verified (OpenSC's jpki driver treats anything but 63 xx as an error) and `63 C0` when
   * locked (see docs/DECISIONS.md).
   */
  retryCounter(kind: PinKind): number {
    return 0x63c0 | Math.min(this.pins[kind].retriesLeft, 0xf);
  }

  verify(kind: PinKind, candidate: Uint8Array): number {
    const pin = this.pins[kind];
    if (pin.retriesLeft === 0) return SW.PIN_LOCKED;
    if (equalsAscii(candidate, pin.value)) {
      this.verified.add(kind);
      if (pin.retriesLeft !== pin.maxRetries) {
        pin.retriesLeft = pin.maxRetries;
        this.changed();
      }
      return SW.OK;
    }
    // A failed VERIFY also drops an earlier success, as ISO 7816 cards do.
    this.verified.delete(kind);
    pin.retriesLeft -= 1;
    this.changed();
    return 0x63c0 | pin.retriesLeft;
  }

  /** CHANGE REFERENCE DATA (P1 01: new PIN only) — needs this PIN verified in this session. */
  change(kind: PinKind, newPin: Uint8Array): number {
    const pin = this.pins[kind];
    if (pin.retriesLeft === 0) return SW.PIN_LOCKED;
    if (!this.verified.has(kind)) return SW.SECURITY_STATUS_NOT_SATISFIED;
    const text = new TextDecoder().decode(newPin);
    const check = checkPin(kind, text);
    // The card takes the PIN as sent: lowercase is the host's job to upper-case, not the card's.
    if (!check.ok || check.pin !== text) return SW_EXTRA.WRONG_DATA;
    pin.value = text;
    pin.retriesLeft = pin.maxRetries;
    pin.isDefault = false;
    this.changed();
    return SW.OK;
  }
}

function equalsAscii(bytes: Uint8Array, text: string): boolean {
  if (bytes.length !== text.length) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}
