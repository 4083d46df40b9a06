/**
 * The popup's certificate viewer reads what Node's own X.509 parser reads, from the same DER; the
 * signing certificate's holder what the verifier's reader (relying-party/src/verifier/holder.ts) reads.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { JPKI_SAN_OID } from '@jpki-bridge/shared/jpki-certificate';
import { certificateDetails, certificateHolder, fingerprintSha256 } from '../../extension/src/lib/certificate-details.ts';
import { parseCertificate } from '../../relying-party/src/verifier/certificate.ts';
import { readHolder } from '../../relying-party/src/verifier/holder.ts';
import { renewalOpens, renewalState } from '../../extension/src/lib/certificate-validity.ts';

const keys = forge.pki.rsa.generateKeyPair(1024);

function certificate(extensions: object[] = []): Uint8Array {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a1b2c3d4e';
  cert.validity.notBefore = new Date('2024-04-01T00:00:00Z');
  cert.validity.notAfter = new Date('2029-05-14T14:59:59Z');
  cert.setSubject([
    { name: 'countryName', value: 'JP' },
    { name: 'commonName', value: '20240401ABCDE' },
  ]);
  cert.setIssuer([
    { name: 'countryName', value: 'JP' },
    { name: 'organizationName', value: 'JPKI' },
    { name: 'organizationalUnitName', value: 'JPKI for user authentication' },
  ]);
  cert.setExtensions(extensions);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

describe('certificate viewer', () => {
  const der = certificate();
  const node = new X509Certificate(der);
  it('subject, issuer, serial and validity as Node reads them', () => {
    const details = certificateDetails(der);
    expect(details.subject).toBe('C=JP, CN=20240401ABCDE');
    expect(details.issuer).toBe('C=JP, O=JPKI, OU=JPKI for user authentication');
    expect(details.serialNumber.replace(/:/g, '').toUpperCase()).toBe(node.serialNumber.toUpperCase());
    expect(details.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
    expect(details.notBefore.getTime()).toBe(new Date(node.validFrom).getTime());
  });
  it('the SHA-256 fingerprint is Node’s', async () => {
    expect(await fingerprintSha256(der)).toBe(node.fingerprint256);
  });
  it('renewal opens three months before the end', () => {
    const end = new Date('2029-05-14T14:59:59Z');
    expect(renewalOpens(end).toISOString()).toBe('2029-02-14T14:59:59.000Z');
    expect(renewalState(end, new Date('2029-02-13T00:00:00Z'))).toBe('not-yet');
    expect(renewalState(end, new Date('2029-02-15T00:00:00Z'))).toBe('open');
    expect(renewalState(end, new Date('2029-05-15T00:00:00Z'))).toBe('expired');
  });
});

/** A subjectAltName otherName as JPKI signing certificates carry them: UTF8String values. */
function otherName(oid: string, value: string): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value))]),
  ]);
}

function signingCertificate(names: forge.asn1.Asn1[]): Uint8Array {
  return certificate([
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { id: '2.5.29.17', value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, names) },
  ]);
}

describe("the signing certificate's holder (shown in the popup after its PIN)", () => {
  it('name, address, date of birth and sex, as the verifier reads them', () => {
    const der = signingCertificate([
      otherName(JPKI_SAN_OID.name, '試験 花子'),
      otherName(JPKI_SAN_OID.nameSubstitutes, '00000'),
      otherName(JPKI_SAN_OID.sex, '2'),
      otherName(JPKI_SAN_OID.dateOfBirth, '419900228'),
      otherName(JPKI_SAN_OID.address, '大阪府大阪市北区1-1'),
    ]);
    const holder = certificateHolder(der);
    expect(holder).toEqual({ name: '試験 花子', address: '大阪府大阪市北区1-1', dateOfBirth: '1990-02-28', sex: '2', hasSubstituteCharacters: false });
    const verifier = readHolder(parseCertificate(der));
    expect([holder.name, holder.address, holder.dateOfBirth]).toEqual([verifier.name, verifier.address, verifier.dateOfBirth]);
    expect(verifier.sex).toBe('female');
  });
  it('a substituted character is flagged; a missing field is null', () => {
    const holder = certificateHolder(signingCertificate([otherName(JPKI_SAN_OID.name, '髙 太郎'), otherName(JPKI_SAN_OID.nameSubstitutes, '1000')]));
    expect(holder).toEqual({ name: '髙 太郎', address: null, dateOfBirth: null, sex: null, hasSubstituteCharacters: true });
  });
  it('the authentication certificate (no subjectAltName) has no holder at all', () => {
    expect(certificateHolder(certificate())).toEqual({ name: null, address: null, dateOfBirth: null, sex: null, hasSubstituteCharacters: false });
  });
});
