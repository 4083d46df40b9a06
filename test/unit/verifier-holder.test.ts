import { describe, expect, it } from 'vitest';
import { parseJpkiBirthDate, readHolder } from '../../relying-party/src/verifier/holder.ts';
import type { ParsedCertificate } from '../../relying-party/src/index.ts';
import { decodeOid, readTlv } from '../../relying-party/src/verifier/der.ts';
import { MemoryNonceStore, RedisNonceStore } from '../../relying-party/src/index.ts';

describe('JPKI date of birth', () => {
  it.each([
    ['319850401', '1985-04-01'], // 昭和 era code, Gregorian digits (as on real cards)
    ['419900102', '1990-01-02'], // 平成
    ['520200229', '2020-02-29'], // 令和, leap day
    ['119850401', '1985-04-01'], // the development CA's "1 + Gregorian" reads the same
    ['019700101', '1970-01-01'], // era unknown
    ['19850401', '1985-04-01'], // bare Gregorian
    ['1985-04-01', '1985-04-01'],
  ])('%s → %s', (raw, iso) => {
    expect(parseJpkiBirthDate(raw)).toBe(iso);
  });

  it.each(['619850401', '319850230', '31985041', 'E19850401', '', '3198504011'])('refuses %j', (raw) => {
    expect(parseJpkiBirthDate(raw)).toBeNull();
  });
});

describe('holder from subjectAltName otherNames', () => {
  const cert = (otherNames: { oid: string; value: string | null }[]) => ({ otherNames }) as unknown as ParsedCertificate;

  it('maps the J-LIS OIDs, flags substitute characters and reads sex codes', () => {
    const holder = readHolder(
      cert([
        { oid: '1.2.392.200149.8.5.5.1', value: '髙橋　花子' },
        { oid: '1.2.392.200149.8.5.5.2', value: '10000' },
        { oid: '1.2.392.200149.8.5.5.3', value: '2' },
        { oid: '1.2.392.200149.8.5.5.4', value: '420010911' },
        { oid: '1.2.392.200149.8.5.5.5', value: '大阪府大阪市北区１－１' },
        { oid: '1.2.392.200149.8.5.5.6', value: '00000000000' },
      ]),
    );
    expect(holder).toEqual({
      name: '髙橋　花子',
      address: '大阪府大阪市北区１－１',
      dateOfBirth: '2001-09-11',
      dateOfBirthRaw: '420010911',
      sex: 'female',
      hasSubstituteCharacters: true,
    });
  });

  it('gives nulls for an authentication certificate (no personal data)', () => {
    expect(readHolder(cert([]))).toEqual({
      name: null,
      address: null,
      dateOfBirth: null,
      dateOfBirthRaw: null,
      sex: null,
      hasSubstituteCharacters: false,
    });
  });

  it.each([
    ['1', 'male'],
    ['9', 'not-applicable'],
    ['3', 'unknown'],
    ['x', null],
    // Object.prototype's names are not codes (issue 19 finding 11).
    ['constructor', null],
    ['__proto__', null],
    ['toString', null],
  ])('sex %s → %s', (code, sex) => {
    expect(readHolder(cert([{ oid: '1.2.392.200149.8.5.5.3', value: code }])).sex).toBe(sex);
  });
});

describe('DER reader', () => {
  it('decodes OIDs with multi-byte arcs', () => {
    // 1.2.392.200149.8.5.5.4
    const der = Buffer.from('060a2a83088c9b5508050504', 'hex');
    expect(decodeOid(readTlv(der))).toBe('1.2.392.200149.8.5.5.4');
  });

  it('refuses lengths that run past the buffer', () => {
    expect(() => readTlv(Buffer.from('3005020101', 'hex'))).toThrow();
    expect(() => readTlv(Buffer.from('3085ffffffffff', 'hex'))).toThrow();
  });
});

describe('MemoryNonceStore', () => {
  it('forgets entries after lifetime + retention and then says unknown', async () => {
    const clock = { now: 0 };
    const store = new MemoryNonceStore({ now: () => clock.now });
    const nonce = await store.issue();
    clock.now = 10 * 60_000 + 1;
    expect(await store.consume(nonce)).toBe('unknown');
  });

  it('issues distinct 32-byte nonces', async () => {
    const store = new MemoryNonceStore();
    const nonces = new Set(await Promise.all(Array.from({ length: 100 }, () => store.issue())));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(32);
  });

  it('never grows past maxEntries: a new nonce pushes out the oldest, the others stay usable', async () => {
    const store = new MemoryNonceStore({ maxEntries: 2 });
    const oldest = await store.issue();
    const middle = await store.issue();
    const newest = await store.issue();
    expect(store.size).toBe(2);
    expect(await store.consume(oldest)).toBe('unknown');
    expect(await store.consume(middle)).toBe('ok');
    expect(await store.consume(newest)).toBe('ok');
  });
});

describe('RedisNonceStore with a client that answers in Buffers', () => {
  it('takes a Buffer "OK" as success (one SET), and gives up rather than looping when SET keeps failing', async () => {
    const sets: string[][] = [];
    const buffers = new RedisNonceStore({ sendCommand: async (args) => (sets.push(args), Buffer.from('OK')) });
    await expect(buffers.issue()).resolves.toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(sets).toHaveLength(1);

    let calls = 0;
    const broken = new RedisNonceStore({ sendCommand: async () => (calls++, 'QUEUED') });
    await expect(broken.issue()).rejects.toThrow(/SET/);
    expect(calls).toBeLessThanOrEqual(3);
  });
});
