/**
 * Hostile APDUs (fast-check): whatever bytes arrive, the card answers a status word, never throws,
 * never spends a try without a VERIFY carrying data, and never reveals the signing certificate or
 * signs without the right PIN.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualJpkiCard } from '../../native-host/src/virtual-card/card.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { sharedCardState } from './shared-cards.ts';

let state: VirtualCardState;
beforeAll(async () => {
  state = await sharedCardState('adult');
});

const SELECT_AP = Buffer.from('00a4040c0ad392f000260100000001', 'hex');
const interesting = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 300 }),
  // Mostly well-formed commands of the applet's own instructions, with random P1-P2 and data.
  fc
    .record({
      cla: fc.constantFrom(0x00, 0x80, 0x0c, 0xff),
      ins: fc.constantFrom(0xa4, 0xb0, 0x20, 0x24, 0x2a, 0xca, 0x84),
      p1: fc.constantFrom(0x00, 0x01, 0x02, 0x04, 0x80, 0x7f),
      p2: fc.constantFrom(0x00, 0x0c, 0x80, 0x01),
      data: fc.uint8Array({ maxLength: 40 }),
      le: fc.option(fc.integer({ min: 0, max: 255 })),
    })
    .map(({ cla, ins, p1, p2, data, le }) => {
      const head = [cla, ins, p1, p2];
      const body = data.length ? [data.length, ...data] : [];
      return Uint8Array.from([...head, ...body, ...(le === null ? [] : [le])]);
    }),
  fc.constantFrom('00a4020c020001', '00a4020c02001a', '00a4020c020018', '00a4020c02001b').map((h) => Uint8Array.from(Buffer.from(h, 'hex'))),
);

describe('virtual card under random APDUs', () => {
  it('always answers at least a status word and keeps its secrets', () => {
    fc.assert(
      fc.property(fc.array(interesting, { maxLength: 30 }), (apdus) => {
        const copy = structuredClone(state);
        // PINs the fuzzer cannot guess by chance in 30 tries.
        copy.pins.auth.value = '9753';
        copy.pins.sign.value = 'QX7Z9W4K';
        const card = new VirtualJpkiCard(copy);
        card.transmit(SELECT_AP);
        const signCert = Buffer.from(state.sign!.certificate, 'base64').subarray(0, 16).toString('hex');
        for (const apdu of apdus) {
          const response = card.transmit(apdu);
          expect(response.length).toBeGreaterThanOrEqual(2);
          const hex = Buffer.from(response).toString('hex');
          expect(hex.slice(0, -4)).not.toContain(signCert);
          // Without the PIN no COMPUTE DIGITAL SIGNATURE can succeed.
          if (apdu[1] === 0x2a) expect(hex.slice(-4)).not.toBe('9000');
        }
        expect(copy.pins.auth.retriesLeft).toBeGreaterThanOrEqual(0);
        expect(copy.pins.sign.retriesLeft).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('the retry-counter query never spends a try', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (times) => {
        const card = new VirtualJpkiCard(structuredClone(state));
        card.transmit(SELECT_AP);
        card.transmit(Buffer.from('00a4020c020018', 'hex'));
        for (let i = 0; i < times; i++) expect(Buffer.from(card.transmit(Buffer.from('00200080', 'hex'))).toString('hex')).toBe('63c3');
      }),
    );
  });
});
