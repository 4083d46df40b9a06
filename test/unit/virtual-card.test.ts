/** The in-process virtual JPKI card, APDU by APDU (docs/ARCHITECTURE.md § 8): every status word the host relies on. */
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDigestInfo } from '@jpki-bridge/shared/digest-info';
import { VirtualJpkiCard } from '../../native-host/src/virtual-card/card.ts';
import { CERTIFICATE_EF_SIZE } from '../../native-host/src/virtual-card/files.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { changeApdu, SELECT_JPKI, selectEf, verifyApdu } from '../harness/raw-apdus.ts';
import { sharedCardState } from './shared-cards.ts';

const hexByte = (n: number) => n.toString(16).padStart(2, '0');

let adult: VirtualCardState;
let minor: VirtualCardState;
let expired: VirtualCardState;

beforeAll(async () => {
  [adult, minor, expired] = await Promise.all([sharedCardState('adult'), sharedCardState('minor'), sharedCardState('expired')]);
});

/** A fresh card on a copy of the state; `changes` counts onStateChange calls. */
function cardOf(state: VirtualCardState) {
  const copy = structuredClone(state);
  const counter = { changes: 0 };
  const card = new VirtualJpkiCard(copy, { onStateChange: () => counter.changes++ });
  const tx = (hex: string) => Buffer.from(card.transmit(Buffer.from(hex, 'hex'))).toString('hex');
  return { card, state: copy, counter, tx };
}

function selected(state: VirtualCardState = adult) {
  const c = cardOf(state);
  expect(c.tx(SELECT_JPKI)).toBe('9000');
  return c;
}

function readAll(tx: (hex: string) => string, fid: string): Buffer {
  expect(tx(selectEf(fid))).toBe('9000');
  const head = tx('00b0000004');
  const total = 4 + parseInt(head.slice(4, 8), 16);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < total; offset += 256) {
    const r = Buffer.from(tx(`00b0${offset.toString(16).padStart(4, '0')}${hexByte(Math.min(256, total - offset) & 0xff)}`), 'hex');
    parts.push(r.subarray(0, -2));
  }
  return Buffer.concat(parts);
}

function signApdu(digestInfo: Uint8Array): string {
  return `802a0080${hexByte(digestInfo.length)}${Buffer.from(digestInfo).toString('hex')}00`;
}

describe('SELECT', () => {
  it('selects the JPKI AID with P2 0C', () => expect(cardOf(adult).tx(SELECT_JPKI)).toBe('9000'));
  it('answers 6A 82 to an unknown AID', () => expect(cardOf(adult).tx('00a4040c07a0000000030000')).toBe('6a82'));
  it('answers 6A 86 to an unsupported P2', () => expect(cardOf(adult).tx('00a4040404d392f000')).toBe('6a86'));
  it('answers 6A 86 to SELECT by path (P1 08)', () => expect(selected().tx('00a4080c02000a')).toBe('6a86'));
  it('finds no EF before the application is selected', () => expect(cardOf(adult).tx(selectEf('000a'))).toBe('6a82'));
  it('answers 6A 82 to an unknown EF', () => expect(selected().tx(selectEf('1234'))).toBe('6a82'));
  it('answers 67 00 to a FID that is not 2 bytes', () => expect(selected().tx('00a4020c03000a00')).toBe('6700'));
  it('keeps the application selected after a failed SELECT of another AID', () => {
    const { tx } = selected();
    expect(tx('00a4040c05a000000001')).toBe('6a82');
    expect(tx(selectEf('000a'))).toBe('9000');
  });
});

describe('READ BINARY', () => {
  it('serves the authentication certificate without a PIN, with the 30 82 LL LL header', () => {
    const { tx } = selected();
    const der = readAll(tx, '000a');
    expect(der.toString('base64')).toBe(adult.auth.certificate);
  });
  it('treats Le 00 as 256 bytes', () => {
    const { tx } = selected();
    tx(selectEf('000a'));
    expect(tx('00b0000000').length).toBe((256 + 2) * 2);
  });
  it('answers 6B 00 to an offset beyond the EF', () => {
    const { tx } = selected();
    tx(selectEf('000a'));
    expect(tx(`00b0${CERTIFICATE_EF_SIZE.toString(16).padStart(4, '0')}01`)).toBe('6b00');
  });
  it('returns what is left, with 90 00, when reading past the end', () => {
    const { tx } = selected();
    tx(selectEf('000a'));
    const response = tx(`00b0${(CERTIFICATE_EF_SIZE - 10).toString(16).padStart(4, '0')}00`);
    expect(response).toBe(`${'ff'.repeat(10)}9000`);
  });
  it('answers 69 86 when no EF is selected', () => expect(selected().tx('00b0000004')).toBe('6986'));
  it('answers 69 86 to reading a key EF', () => {
    const { tx } = selected();
    tx(selectEf('0017'));
    expect(tx('00b0000004')).toBe('6986');
  });
  it('answers 67 00 without Le', () => {
    const { tx } = selected();
    tx(selectEf('000a'));
    expect(tx('00b00000')).toBe('6700');
  });
  it('answers 6A 86 to short-EF addressing (P1 bit 8)', () => {
    const { tx } = selected();
    tx(selectEf('000a'));
    expect(tx('00b0810004')).toBe('6a86');
  });
  it('EF 0006 is the My Number card token label', () => {
    const { tx } = selected();
    tx(selectEf('0006'));
    const data = Buffer.from(tx('00b0000020').slice(0, -4), 'hex').toString('ascii');
    expect(data.trimEnd()).toBe('JPKIAPICCTOKEN2');
  });
  it('EF 0008 says both certificates are present (8F 8F 00) on an adult card', () => {
    const { tx } = selected();
    tx(selectEf('0008'));
    expect(tx('00b0000003')).toBe('8f8f009000');
  });
  it('serves both CA certificates', () => {
    const { tx } = selected();
    expect(readAll(tx, '000b').toString('base64')).toBe(adult.ca.auth.certificate);
    expect(readAll(tx, '0002').toString('base64')).toBe(adult.ca.sign.certificate);
  });
});

describe('PIN', () => {
  it('reads the retry counters without spending a try: 63 C3 and 63 C5', () => {
    const { tx, counter } = selected();
    tx(selectEf('0018'));
    expect(tx('00200080')).toBe('63c3');
    expect(tx('00200080')).toBe('63c3');
    tx(selectEf('001b'));
    expect(tx('00200080')).toBe('63c5');
    expect(counter.changes).toBe(0);
  });
  it('a wrong PIN decrements (63 Cx) and a right one restores the maximum', () => {
    const { tx, state, counter } = selected();
    tx(selectEf('0018'));
    expect(tx(verifyApdu('0000'))).toBe('63c2');
    expect(state.pins.auth.retriesLeft).toBe(2);
    expect(tx(verifyApdu('1234'))).toBe('9000');
    expect(tx('00200080')).toBe('63c3');
    expect(counter.changes).toBe(2);
  });
  it('the 3rd miss locks the authentication PIN: 63 C0, then 69 84 even for the right PIN', () => {
    const { tx, state } = selected();
    tx(selectEf('0018'));
    expect([tx(verifyApdu('0000')), tx(verifyApdu('0000')), tx(verifyApdu('0000'))]).toEqual(['63c2', '63c1', '63c0']);
    expect(tx(verifyApdu('1234'))).toBe('6984');
    expect(tx('00200080')).toBe('63c0');
    expect(state.pins.auth.retriesLeft).toBe(0);
  });
  it('the 5th miss locks the signing PIN', () => {
    const { tx } = selected();
    tx(selectEf('001b'));
    expect([1, 2, 3, 4, 5].map(() => tx(verifyApdu('WRONG9')))).toEqual(['63c4', '63c3', '63c2', '63c1', '63c0']);
    expect(tx(verifyApdu('ABC123'))).toBe('6984');
  });
  it('a lock in the state survives a new card instance (a restart)', () => {
    const first = selected();
    first.tx(selectEf('0018'));
    for (let i = 0; i < 3; i++) first.tx(verifyApdu('0000'));
    const again = selected(first.state);
    again.tx(selectEf('0018'));
    expect(again.tx(verifyApdu('1234'))).toBe('6984');
  });
  it('answers 69 86 to VERIFY without a PIN EF selected', () => expect(selected().tx('00200080')).toBe('6986'));
  it('answers 6A 86 to VERIFY with another P2', () => {
    const { tx } = selected();
    tx(selectEf('0018'));
    expect(tx('002000810431323334')).toBe('6a86');
  });
  it('compares the PIN exactly: a lowercase signing PIN is a miss (the host upper-cases)', () => {
    const { tx } = selected();
    tx(selectEf('001b'));
    expect(tx(verifyApdu('abc123'))).toBe('63c4');
  });
});

describe('security status', () => {
  it('hides EF 0001 until the signing PIN is verified; a reset hides it again', () => {
    const { tx, card } = selected();
    tx(selectEf('0001'));
    expect(tx('00b0000004')).toBe('6982');
    tx(selectEf('001b'));
    expect(tx(verifyApdu('ABC123'))).toBe('9000');
    expect(readAll(tx, '0001').toString('base64')).toBe(adult.sign!.certificate);
    card.reset();
    expect(tx(selectEf('0001'))).toBe('6a82'); // the reset also dropped the application selection
    tx(SELECT_JPKI);
    tx(selectEf('0001'));
    expect(tx('00b0000004')).toBe('6982');
  });
  it('the authentication PIN does not open the signing certificate', () => {
    const { tx } = selected();
    tx(selectEf('0018'));
    tx(verifyApdu('1234'));
    tx(selectEf('0001'));
    expect(tx('00b0000004')).toBe('6982');
  });
  it('a failed VERIFY drops an earlier success', () => {
    const { tx } = selected();
    tx(selectEf('0018'));
    tx(verifyApdu('1234'));
    tx(verifyApdu('0000'));
    tx(selectEf('0017'));
    expect(tx(signApdu(buildDigestInfo('SHA-256', new Uint8Array(32))))).toBe('6982');
  });
});

describe('COMPUTE DIGITAL SIGNATURE', () => {
  const data = Buffer.from('signed by the virtual card');
  const digestInfo = buildDigestInfo('SHA-256', createHash('sha256').update(data).digest());

  it('answers 69 82 before the PIN is verified', () => {
    const { tx } = selected();
    tx(selectEf('0017'));
    expect(tx(signApdu(digestInfo))).toBe('6982');
  });
  for (const [kind, key, pinEf, pin] of [
    ['authentication', '0017', '0018', '1234'],
    ['signing', '001a', '001b', 'ABC123'],
  ] as const) {
    it(`signs a DigestInfo with the ${kind} key; Node verifies it against the certificate`, () => {
      const { tx } = selected();
      tx(selectEf(pinEf));
      expect(tx(verifyApdu(pin))).toBe('9000');
      tx(selectEf(key));
      const response = Buffer.from(tx(signApdu(digestInfo)), 'hex');
      expect(response.subarray(-2).toString('hex')).toBe('9000');
      const certificate = new X509Certificate(Buffer.from(kind === 'signing' ? adult.sign!.certificate : adult.auth.certificate, 'base64'));
      const signature = response.subarray(0, -2);
      expect(signature).toHaveLength(256);
      expect(verify('sha256', data, { key: certificate.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)).toBe(true);
    });
  }
  it('answers 69 86 when no key EF is selected', () => {
    const { tx } = selected();
    tx(selectEf('0018'));
    tx(verifyApdu('1234'));
    expect(tx(signApdu(digestInfo))).toBe('6986');
  });
  it('answers 67 00 to input too long for PKCS#1 v1.5 padding', () => {
    const { tx } = selected();
    tx(selectEf('0018'));
    tx(verifyApdu('1234'));
    tx(selectEf('0017'));
    expect(tx(signApdu(new Uint8Array(246)))).toBe('6700');
  });
  it('answers 6E 00 to CLA 00 (the JPKI applet wants 80)', () => {
    const { tx } = selected();
    expect(tx(`002a0080${hexByte(digestInfo.length)}${Buffer.from(digestInfo).toString('hex')}00`)).toBe('6e00');
  });
});

describe('CHANGE REFERENCE DATA', () => {
  it('answers 69 82 without a VERIFY of that PIN in this session', () => {
    const { tx } = selected();
    tx(selectEf('0018'));
    expect(tx(changeApdu('4321'))).toBe('6982');
  });
  it('changes the PIN after VERIFY: the new one works, the old one misses', () => {
    const { tx, state, card, counter } = selected();
    tx(selectEf('0018'));
    tx(verifyApdu('1234'));
    expect(tx(changeApdu('4321'))).toBe('9000');
    expect(state.pins.auth.isDefault).toBe(false);
    expect(counter.changes).toBeGreaterThan(0);
    card.reset();
    tx(SELECT_JPKI);
    tx(selectEf('0018'));
    expect(tx(verifyApdu('1234'))).toBe('63c2');
    expect(tx(verifyApdu('4321'))).toBe('9000');
  });
  it('refuses a new PIN that breaks the rules (6A 80)', () => {
    const { tx } = selected();
    tx(selectEf('001b'));
    tx(verifyApdu('ABC123'));
    expect(tx(changeApdu('ABCDEF'))).toBe('6a80');
  });
  it('answers 6A 86 to P1 other than 01', () => {
    const { tx } = selected();
    tx(selectEf('0018'));
    expect(tx('002400800431323334')).toBe('6a86');
  });
});

describe('malformed commands', () => {
  it('answers 6D 00 to an unknown instruction', () => expect(selected().tx('00ca010000')).toBe('6d00'));
  it('answers 6E 00 to an unknown class', () => expect(selected().tx('a0a4020c02000a')).toBe('6e00'));
  it('answers 67 00 to inconsistent lengths', () => {
    const { tx } = selected();
    expect(tx('00a4')).toBe('6700');
    expect(tx('00a4020c05000a')).toBe('6700');
  });
});

describe('personas', () => {
  it('minor: EF 0008 byte 0 is not 8F and EF 0001 / 001A do not exist', () => {
    const { tx } = selected(minor);
    tx(selectEf('0008'));
    expect(tx('00b0000003')).toBe('008f009000');
    expect(tx(selectEf('0001'))).toBe('6a82');
    expect(tx(selectEf('001a'))).toBe('6a82');
    expect(minor.sign).toBeNull();
  });
  it('expired: both certificates ended before now, yet the card still works', () => {
    const now = new Date();
    for (const b64 of [expired.auth.certificate, expired.sign!.certificate]) {
      expect(new Date(new X509Certificate(Buffer.from(b64, 'base64')).validTo).getTime()).toBeLessThan(now.getTime());
    }
    const { tx } = selected(expired);
    tx(selectEf('0018'));
    expect(tx(verifyApdu('1234'))).toBe('9000');
  });
  it('the ATR is not the real My Number card ATR', () => {
    expect(Buffer.from(cardOf(adult).card.atr).toString('hex')).not.toBe('3be000ff8131fe4514');
  });
});
