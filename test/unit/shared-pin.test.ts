import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPin, normalizePin } from '@jpki-bridge/shared/pin';
import { OPERATIONS } from '@jpki-bridge/shared/operations';
import { POLICY } from '@jpki-bridge/shared/policy';

const DIGITS = '0123456789'.split('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

describe('authentication PIN (利用者証明用, exactly 4 digits)', () => {
  it('accepts every 4-digit string', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DIGITS), { minLength: 4, maxLength: 4 }), (chars) => {
        expect(checkPin('auth', chars.join(''))).toEqual({ ok: true, pin: chars.join('') });
      }),
    );
  });

  it('rejects any string that is not exactly 4 ASCII digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (pin) => {
        fc.pre(!/^[0-9]{4}$/.test(pin));
        expect(checkPin('auth', pin).ok).toBe(false);
      }),
    );
  });

  it.each(['123', '12345', '12a4', '１２３４', ' 1234', '1234\n', '٣٣٣٣'])('rejects %j', (pin) => {
    expect(checkPin('auth', pin)).toMatchObject({ ok: false });
  });
});

describe('signing PIN (署名用, 6–16 of A–Z 0–9 with a letter and a digit)', () => {
  const validSignPin = fc
    .tuple(fc.constantFrom(...UPPER), fc.constantFrom(...DIGITS), fc.array(fc.constantFrom(...UPPER, ...DIGITS), { minLength: 4, maxLength: 14 }))
    .chain(([letter, digit, rest]) => fc.shuffledSubarray([letter, digit, ...rest], { minLength: rest.length + 2 }))
    .map((chars) => chars.join(''));

  it('accepts every valid PIN and returns it unchanged', () => {
    fc.assert(
      fc.property(validSignPin, (pin) => {
        expect(checkPin('sign', pin)).toEqual({ ok: true, pin });
      }),
    );
  });

  it('upper-cases lowercase input before checking and returns the upper-cased PIN', () => {
    fc.assert(
      fc.property(validSignPin, (pin) => {
        expect(checkPin('sign', pin.toLowerCase())).toEqual({ ok: true, pin });
        expect(normalizePin('sign', pin.toLowerCase())).toBe(pin);
      }),
    );
  });

  it('never accepts a string outside the rule', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (pin) => {
        const upper = pin.replace(/[a-z]/g, (c) => c.toUpperCase()); // ASCII only: the rule is A–Z 0–9
        fc.pre(!(/^[A-Z0-9]{6,16}$/.test(upper) && /[A-Z]/.test(upper) && /[0-9]/.test(upper)));
        expect(checkPin('sign', pin).ok).toBe(false);
      }),
    );
  });

  it.each([
    ['AB123', 'sign-too-short'],
    ['ABCDEFGH123456789', 'sign-too-long'],
    ['ABCDEFG', 'sign-needs-digit'],
    ['1234567', 'sign-needs-letter'],
    ['ABC-123', 'sign-bad-character'],
    ['ÀBC123', 'sign-bad-character'],
    // Non-ASCII letters whose toUpperCase() lands in A–Z: outside the rule, never normalized into it.
    ['ſ12345', 'sign-bad-character'],
    ['ı12345', 'sign-bad-character'],
    ['ß12345', 'sign-bad-character'],
    ['ﬀ12345', 'sign-bad-character'],
    ['', 'empty'],
  ])('rejects %j as %s', (pin, problem) => {
    expect(checkPin('sign', pin)).toEqual({ ok: false, problem });
  });

  it('rejects non-strings without throwing', () => {
    for (const value of [undefined, null, 1234, ['1234'], { toString: () => '1234' }]) {
      expect(checkPin('auth', value)).toEqual({ ok: false, problem: 'not-a-string' });
    }
  });
});

describe('policy table', () => {
  it('maps login to the authentication key and signing to the signing key', () => {
    expect(OPERATIONS.authenticate.pin).toBe('auth');
    expect(OPERATIONS['portal-login'].pin).toBe('auth');
    expect(OPERATIONS.sign.pin).toBe('sign');
    expect(OPERATIONS['portal-sign'].pin).toBe('sign');
    expect(OPERATIONS['get-signing-certificate'].pin).toBe('sign');
  });

  it('holds the EFs and try limits of each key', () => {
    expect(POLICY.auth).toMatchObject({ keyEf: '0017', pinEf: '0018', certificateEf: '000A', maxTries: 3 });
    expect(POLICY.sign).toMatchObject({ keyEf: '001A', pinEf: '001B', certificateEf: '0001', maxTries: 5 });
  });
});
