/** Virtual card state: persona, development CA profile, atomic persistence, reset-pins. */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_POLICY_OID, JPKI_SAN_OID, decodeBirthDate, encodeBirthDate } from '@jpki-bridge/shared/jpki-certificate';
import { devCaRoots } from '../../native-host/src/virtual-card/dev-ca.ts';
import { fifthBirthdayAfter, makePersona } from '../../native-host/src/virtual-card/persona.ts';
import { resetPins } from '../../native-host/src/virtual-card/reset.ts';
import { createCardState } from '../../native-host/src/virtual-card/issue.ts';
import { loadCardState, saveCardState, saveCardStateSync } from '../../native-host/src/virtual-card/state-file.ts';
import type { VirtualCardState } from '../../native-host/src/virtual-card/state.ts';
import { describe as describeState } from '../../native-host/src/virtual-card/show.ts';

let state: VirtualCardState;
beforeAll(async () => {
  state = await createCardState({ name: '試験 花子', birth: '1990-02-28', address: '大阪府大阪市北区1-1', sex: '2', now: new Date('2026-01-15T00:00:00Z') });
});

const forgeCert = (b64: string) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.decode64(b64)));

describe('development CA', () => {
  it('has two self-signed RSA-2048 sha256WithRSA roots with the JPKI subject, CA and keyCertSign+cRLSign critical', () => {
    for (const [kind, ou] of [
      ['auth', 'JPKI for user authentication'],
      ['sign', 'JPKI for digital signature'],
    ] as const) {
      const cert = forgeCert(state.ca[kind].certificate);
      expect(cert.subject.attributes.map((a) => `${a.shortName}=${a.value}`)).toEqual([
        'C=JP',
        'O=JPKI-TEST',
        `OU=${ou}`,
        'OU=Japan Agency for Local Authority Information Systems',
      ]);
      expect(cert.verify(cert)).toBe(true);
      expect(cert.siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
      expect((cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
      const bc = cert.getExtension('basicConstraints') as { cA: boolean; critical: boolean };
      const ku = cert.getExtension('keyUsage') as { keyCertSign: boolean; cRLSign: boolean; critical: boolean };
      expect([bc.cA, bc.critical, ku.keyCertSign, ku.cRLSign, ku.critical]).toEqual([true, true, true, true, true]);
    }
  });
  it('issues the end-entity certificates directly from the roots', () => {
    expect(
      new X509Certificate(Buffer.from(state.auth.certificate, 'base64')).verify(
        new X509Certificate(Buffer.from(state.ca.auth.certificate, 'base64')).publicKey,
      ),
    ).toBe(true);
    expect(
      new X509Certificate(Buffer.from(state.sign!.certificate, 'base64')).verify(
        new X509Certificate(Buffer.from(state.ca.sign.certificate, 'base64')).publicKey,
      ),
    ).toBe(true);
  });
  it('devCaRoots gives both roots as PEM', () => {
    const roots = devCaRoots(state);
    expect(new X509Certificate(roots.auth).subject).toContain('JPKI for user authentication');
    expect(new X509Certificate(roots.sign).subject).toContain('JPKI for digital signature');
  });
});

describe('end-entity certificates', () => {
  it('the authentication certificate carries no personal data, digitalSignature and the test auth policy', () => {
    const cert = forgeCert(state.auth.certificate);
    expect(cert.getExtension('subjectAltName')).toBeNull();
    expect((cert.getExtension('keyUsage') as { digitalSignature: boolean }).digitalSignature).toBe(true);
    expect(Buffer.from((cert.getExtension('certificatePolicies') as { value: string }).value, 'binary').toString('hex')).toContain(
      Buffer.from(forge.asn1.oidToDer(DEV_POLICY_OID.auth).getBytes(), 'binary').toString('hex'),
    );
    expect(JSON.stringify(cert.subject.attributes)).not.toContain('試験');
  });
  it('the signing certificate carries name, sex, DOB (era code + YYYYMMDD) and address as UTF8String otherNames', () => {
    const cert = forgeCert(state.sign!.certificate);
    const ku = cert.getExtension('keyUsage') as { digitalSignature: boolean; nonRepudiation: boolean };
    expect([ku.digitalSignature, ku.nonRepudiation]).toEqual([true, true]);
    const san = forge.asn1.fromDer((cert.getExtension('subjectAltName') as { value: string }).value);
    const entries = new Map(
      (san.value as forge.asn1.Asn1[]).map((entry) => {
        const [oid, wrapped] = entry.value as forge.asn1.Asn1[];
        const inner = (wrapped!.value as forge.asn1.Asn1[])[0]!;
        expect(inner.type).toBe(forge.asn1.Type.UTF8);
        return [forge.asn1.derToOid(oid!.value as string), forge.util.decodeUtf8(inner.value as string)];
      }),
    );
    expect(entries.get(JPKI_SAN_OID.name)).toBe('試験 花子');
    expect(entries.get(JPKI_SAN_OID.sex)).toBe('2');
    expect(entries.get(JPKI_SAN_OID.dateOfBirth)).toBe('419900228'); // 4 = 平成
    expect(entries.get(JPKI_SAN_OID.address)).toBe('大阪府大阪市北区1-1');
  });
  it('both end at the 5th birthday after issuance, 23:59:59 JST', () => {
    // Issued 2026-01-15: birthdays 2026-02-28 (1st) … 2030-02-28 (5th).
    const end = new X509Certificate(Buffer.from(state.auth.certificate, 'base64')).validTo;
    expect(new Date(end).toISOString()).toBe('2030-02-28T14:59:59.000Z');
  });
});

describe('persona rules', () => {
  it('counts birthdays strictly after issuance', () => {
    expect(fifthBirthdayAfter('1985-04-01', new Date('2026-03-31T00:00:00Z')).toISOString()).toBe('2030-04-01T14:59:59.000Z');
    expect(fifthBirthdayAfter('1985-04-01', new Date('2026-04-02T00:00:00Z')).toISOString()).toBe('2031-04-01T14:59:59.000Z');
  });
  it('a birthday on the day of issuance (JST) does not count', () => {
    expect(fifthBirthdayAfter('2016-11-25', new Date('2026-11-25T02:00:00Z')).toISOString()).toBe('2031-11-25T14:59:59.000Z');
    // 2026-11-24T16:00Z is already 25 November in Japan.
    expect(fifthBirthdayAfter('2016-11-25', new Date('2026-11-24T16:00:00Z')).toISOString()).toBe('2031-11-25T14:59:59.000Z');
  });
  it('a 29 February birthday ends on 28 February in a common year', () => {
    expect(fifthBirthdayAfter('2000-02-29', new Date('2026-06-01T00:00:00Z')).toISOString()).toBe('2031-02-28T14:59:59.000Z');
  });
  it('refuses a minor of 15 or more and an adult under 15', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(() => makePersona({ persona: 'minor', birth: '2000-01-01', now })).toThrow(RangeError);
    expect(() => makePersona({ persona: 'adult', birth: '2020-01-01', now })).toThrow(RangeError);
    expect(() => makePersona({ birth: '1990-02-30', now })).toThrow(RangeError);
  });
  it('encodes and decodes the date of birth', () => {
    expect(encodeBirthDate('1985-04-01')).toBe('319850401'); // 昭和
    expect(encodeBirthDate('1989-01-07')).toBe('319890107'); // last day of 昭和
    expect(encodeBirthDate('1989-01-08')).toBe('419890108'); // 平成
    expect(encodeBirthDate('2019-05-01')).toBe('520190501'); // 令和
    expect(encodeBirthDate('1920-01-01')).toBe('219200101'); // 大正
    expect(decodeBirthDate('319850401')).toBe('1985-04-01');
    expect(decodeBirthDate('3600401')).toBeNull();
  });
});

describe('persistence', () => {
  it('saves atomically: the file round-trips and no temporary file is left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jpki-vc-unit-'));
    const file = join(dir, 'card.json');
    await saveCardState(file, state);
    state.pins.auth.retriesLeft = 1;
    saveCardStateSync(file, state);
    state.pins.auth.retriesLeft = 3;
    expect((await loadCardState(file)).pins.auth.retriesLeft).toBe(1);
    expect(await readdir(dir)).toEqual(['card.json']);
  });
  it('a failed save leaves the previous file intact and cleans up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jpki-vc-unit-'));
    const file = join(dir, 'card.json');
    await saveCardState(file, state);
    const before = await readFile(file, 'utf8');
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'x'), { recursive: true }); // rename onto a non-empty directory fails
    await expect(saveCardState(blocked, state)).rejects.toThrow();
    expect(() => saveCardStateSync(blocked, state)).toThrow();
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'card.json']);
  });
  it('refuses a file that is not a virtual card state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jpki-vc-unit-'));
    const file = join(dir, 'other.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"hello":1}'));
    await expect(loadCardState(file)).rejects.toThrow(/not a virtual card state/);
  });
  it('reset-pins restores defaults, full counters and clears locks', () => {
    const copy = structuredClone(state);
    copy.pins.sign = { ...copy.pins.sign, value: 'XYZ789', retriesLeft: 0, isDefault: false };
    resetPins(copy);
    expect(copy.pins.sign).toEqual({ value: 'ABC123', maxRetries: 5, retriesLeft: 5, isDefault: true });
  });
  it('show never prints a PIN, only whether it is the default', () => {
    const copy = structuredClone(state);
    copy.pins.auth = { ...copy.pins.auth, value: '9876', isDefault: false, retriesLeft: 0 };
    const text = describeState(copy);
    expect(text).not.toContain('9876');
    expect(text).not.toContain('ABC123');
    expect(text).toContain('authentication PIN: LOCKED; PIN: changed');
    expect(text).toContain('signing PIN: 5/5 tries left; PIN: default');
  });
});
