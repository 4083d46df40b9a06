import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  HASH_FUNCTIONS,
  HASH_INFO,
  JpkiError,
  RequestError,
  buildDigestInfo,
  bytesToBase64,
  base64ToBytes,
  deserializeError,
  isValidChallengeNonce,
  parseNativeRequest,
  serializeError,
} from '@jpki-bridge/shared';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const NONCE = b64(new Uint8Array(32).fill(7));
const SHA256 = b64(createHash('sha256').update('x').digest());

describe('DigestInfo', () => {
  it.each(HASH_FUNCTIONS)('builds the %s DigestInfo as its DER prefix followed by the hash', (hashFunction) => {
    const hash = createHash(HASH_INFO[hashFunction].nodeName).update('hello').digest();
    const digestInfo = buildDigestInfo(hashFunction, hash);
    expect(Buffer.from(digestInfo)).toEqual(Buffer.concat([HASH_INFO[hashFunction].prefix, hash]));
    // The prefix's last byte is the OCTET STRING length, which must equal the hash length.
    expect(digestInfo[HASH_INFO[hashFunction].prefix.length - 1]).toBe(hash.length);
  });

  it('refuses a hash of the wrong length', () => {
    expect(() => buildDigestInfo('SHA-256', new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('base64', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(b64(bytes));
        expect(base64ToBytes(text)).toEqual(bytes);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects unpadded, url-safe and whitespace forms', () => {
    for (const text of ['YQ', 'a-_b', 'YQ==\n', ' YQ==', 'Y===']) expect(() => base64ToBytes(text)).toThrow(TypeError);
  });
});

describe('challenge nonce', () => {
  it('accepts 44–128 base64 characters', () => {
    expect(isValidChallengeNonce(NONCE)).toBe(true);
    expect(isValidChallengeNonce(b64(new Uint8Array(96)))).toBe(true);
    expect(isValidChallengeNonce(b64(new Uint8Array(30)))).toBe(false); // 40 characters
    expect(isValidChallengeNonce(b64(new Uint8Array(97)))).toBe(false); // 132 characters
    expect(isValidChallengeNonce(`${NONCE.slice(0, -1)}!`)).toBe(false);
  });
});

describe('errors across a hop', () => {
  it('serializes and rebuilds every code', () => {
    for (const code of ERROR_CODES) {
      const rebuilt = deserializeError(JSON.parse(JSON.stringify(new JpkiError(code, 'm', 2))));
      expect(rebuilt).toBeInstanceOf(JpkiError);
      expect(rebuilt.code).toBe(code);
      expect(rebuilt.retriesLeft).toBe(2);
    }
  });

  it('turns anything else into ERR_JPKI_UNKNOWN without leaking its text', () => {
    expect(serializeError(new Error('secret 1234'))).toEqual({ code: 'ERR_JPKI_UNKNOWN', message: expect.not.stringContaining('1234') });
    for (const garbage of [null, 'x', [], { code: 'ERR_OTHER' }, { code: { startsWith: () => true } }]) {
      expect(deserializeError(garbage).code).toBe('ERR_JPKI_UNKNOWN');
    }
  });
});

describe('parseNativeRequest', () => {
  const sign = { origin: 'https://e-tax.nta.go.jp', hashes: [SHA256], hashFunction: 'SHA-256', pin: 'ABC123' };
  const codeOf = (message: unknown) => {
    try {
      parseNativeRequest(message);
      return 'ok';
    } catch (error) {
      expect(error).toBeInstanceOf(RequestError);
      return (error as RequestError).error.code;
    }
  };

  it('accepts well-formed requests', () => {
    expect(codeOf({ id: 1, command: 'status', arguments: {} })).toBe('ok');
    expect(codeOf({ id: 2, command: 'sign', arguments: sign })).toBe('ok');
    expect(codeOf({ id: 3, command: 'authenticate', arguments: { origin: 'http://localhost:3000', challengeNonce: NONCE, pin: '1234' } })).toBe('ok');
  });

  it('maps each kind of bad request to its own code', () => {
    expect(codeOf([])).toBe('ERR_JPKI_INVALID_REQUEST');
    expect(codeOf({ id: 1, command: 'status' })).toBe('ERR_JPKI_INVALID_REQUEST');
    expect(codeOf({ id: 1, command: 'status', arguments: { extra: 1 } })).toBe('ERR_JPKI_INVALID_REQUEST');
    expect(codeOf({ id: 1, command: 'format-card', arguments: {} })).toBe('ERR_JPKI_UNKNOWN_COMMAND');
    expect(codeOf({ id: 1, command: 'sign', arguments: { ...sign, origin: 'http://evil.example' } })).toBe('ERR_JPKI_INVALID_ORIGIN');
    expect(codeOf({ id: 1, command: 'sign', arguments: { ...sign, hashFunction: 'SHA-384' } })).toBe('ERR_JPKI_INVALID_HASH');
    expect(codeOf({ id: 1, command: 'sign', arguments: { ...sign, hashes: [] } })).toBe('ERR_JPKI_INVALID_REQUEST');
    expect(codeOf({ id: 1, command: 'portal-login', arguments: { origin: 'https://myna.go.jp', digest: b64(new Uint8Array(246)), pin: '1234' } })).toBe(
      'ERR_JPKI_INVALID_HASH',
    );
    expect(codeOf({ id: 1, command: 'authenticate', arguments: { origin: 'https://a.jp', challengeNonce: 'short', pin: '1234' } })).toBe(
      'ERR_JPKI_INVALID_NONCE',
    );
  });

  it('leaves PIN format to the policy step and never echoes a PIN in its messages', () => {
    expect(codeOf({ id: 1, command: 'sign', arguments: { ...sign, pin: '12' } })).toBe('ok');
    expect(() => parseNativeRequest({ id: 1, command: 'sign', arguments: { ...sign, pin: 98765, extra: 'x' } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('98765') }),
    );
  });

  describe('exact keys: the request acted on is the request sent', () => {
    const signJson = (extra: string) =>
      `{"id":7,"command":"sign","arguments":{"origin":"https://e-tax.nta.go.jp","hashes":["${SHA256}"],"hashFunction":"SHA-256","pin":"ABC123"${extra}}}`;

    it('accepts the request without an extra key (control)', () => {
      expect(codeOf(JSON.parse(signJson('')))).toBe('ok');
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses arguments holding the key %s instead of dropping it silently', (key) => {
      const message = JSON.parse(signJson(`,"${key}":{"hashFunction":"SHA-1"}`));
      expect(Object.hasOwn(message.arguments, key)).toBe(true); // the premise: JSON.parse makes it an own key
      expect(codeOf(message)).toBe('ERR_JPKI_INVALID_REQUEST');
      expect(() => parseNativeRequest(message)).toThrow(expect.objectContaining({ id: 7 }));
    });

    it.each(['__proto__', 'constructor', 'prototype'])("refuses the key %s beside the envelope's fields too", (key) => {
      expect(codeOf(JSON.parse(`{"id":1,"command":"status","arguments":{},"${key}":{}}`))).toBe('ERR_JPKI_INVALID_REQUEST');
    });

    it.each([
      ['an empty array', []],
      ['an array of the right values', ['https://e-tax.nta.go.jp']],
      ['null', null],
      ['a string', 'x'],
      ['a class instance', new (class Arguments {})()],
      ['a Map', new Map()],
    ])('refuses arguments that are %s', (_name, args) => {
      expect(codeOf({ id: 1, command: 'status', arguments: args })).toBe('ERR_JPKI_INVALID_REQUEST');
    });

    it('refuses a symbol key', () => {
      expect(codeOf({ id: 1, command: 'status', arguments: { [Symbol('x')]: 1 } })).toBe('ERR_JPKI_INVALID_REQUEST');
    });
  });

  it('keeps the id of a request whose arguments are bad, so the host can answer it', () => {
    expect(() => parseNativeRequest({ id: 42, command: 'nope', arguments: {} })).toThrow(expect.objectContaining({ id: 42 }));
  });
});
