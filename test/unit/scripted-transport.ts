/** A card transport that plays a script of {command} → {response} exchanges (libpcsc-mock style). */
import { expect } from 'vitest';
import { bytesToHex, hexToBytes } from '../../native-host/src/card/apdu.ts';
import type { CardTransport } from '../../native-host/src/card/transport.ts';

export type Step = [command: string, response: string];

/** Fails the test on any APDU that is not the next scripted one; `done()` checks all were sent. */
export function scripted(steps: Step[]): CardTransport & { done(): void } {
  let i = 0;
  return {
    async transmit(apdu) {
      const step = steps[i++];
      const sent = bytesToHex(apdu);
      if (!step) throw new Error(`unexpected APDU ${sent}`);
      expect(sent).toBe(step[0].replace(/\s+/g, ''));
      return hexToBytes(step[1]);
    },
    done() {
      expect(i).toBe(steps.length);
    },
  };
}
