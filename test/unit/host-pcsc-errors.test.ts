import { describe, expect, it } from 'vitest';
import { isContextLost, mapPcscError, needsPresenceCheck, pcscCode } from '../../native-host/src/card/pcsc-errors.ts';
import { JpkiError } from '@jpki-bridge/shared/errors';

const err = (fn: string, text: string, code: number) => new Error(`${fn} error: ${text}.(0x${code.toString(16).padStart(8, '0')})`);

describe('pcsc-errors (the one choke point)', () => {
  it("parses the hex code out of pcsclite's messages", () => {
    expect(pcscCode(err('SCardConnect', 'Card was removed', 0x80100069))).toBe(0x80100069);
    expect(pcscCode(new Error('no code here'))).toBeNull();
  });

  it.each([
    [0x8010001d, 'establish', 'ERR_JPKI_PCSC_UNAVAILABLE'],
    [0x8010001e, 'transmit', 'ERR_JPKI_PCSC_UNAVAILABLE'],
    [0x8010002e, 'list', 'ERR_JPKI_NO_READER'],
    [0x80100009, 'connect', 'ERR_JPKI_NO_READER'],
    [0x8010000c, 'connect', 'ERR_JPKI_NO_CARD'],
    [0x8010000c, 'transmit', 'ERR_JPKI_CARD_REMOVED'],
    [0x80100069, 'connect', 'ERR_JPKI_NO_CARD'],
    [0x80100069, 'transmit', 'ERR_JPKI_CARD_REMOVED'],
    [0x80100068, 'transmit', 'ERR_JPKI_CARD_REMOVED'],
    [0x80100017, 'transmit', 'ERR_JPKI_CARD_REMOVED'],
    [0x8010000b, 'connect', 'ERR_JPKI_CARD_BUSY'],
    [0x80100065, 'connect', 'ERR_JPKI_NOT_JPKI_CARD'],
    [0x80100003, 'connect', 'ERR_JPKI_PCSC_UNAVAILABLE'],
    [0x80100003, 'transmit', 'ERR_JPKI_CARD_REMOVED'],
    [0x80100016, 'transmit', 'ERR_JPKI_CARD_ERROR'],
    [0x80100001, 'transmit', 'ERR_JPKI_CARD_ERROR'],
  ] as const)('maps the code %s during %s to %s', (code, phase, expected) => {
    expect(mapPcscError(err('SCardX', 'x', code), phase).code).toBe(expected);
  });

  it('passes typed errors through and maps unknown text to CARD_ERROR', () => {
    const typed = new JpkiError('ERR_JPKI_PIN_LOCKED');
    expect(mapPcscError(typed, 'transmit')).toBe(typed);
    expect(mapPcscError(new Error('weird'), 'transmit').code).toBe('ERR_JPKI_CARD_ERROR');
  });

  it('classifies a lost context and a failed presence check', () => {
    expect(isContextLost(err('SCardConnect', 'Service not available', 0x8010001d))).toBe(true);
    expect(isContextLost(err('SCardConnect', 'Invalid handle', 0x80100003))).toBe(true);
    expect(isContextLost(err('SCardConnect', 'Sharing violation', 0x8010000b))).toBe(false);
    expect(needsPresenceCheck(err('SCardTransmit', 'Transaction failed', 0x80100016))).toBe(true);
    expect(needsPresenceCheck(err('SCardTransmit', 'Card was removed', 0x80100069))).toBe(false);
  });
});
