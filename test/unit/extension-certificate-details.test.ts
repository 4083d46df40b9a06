/** The popup's certificate viewer reads what Node's own X.509 parser reads, from the same DER. */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { certificateDetails, fingerprintSha256 } from '../../extension/src/lib/certificate-details.ts';
import { renewalOpens, renewalState } from '../../extension/src/lib/certificate-validity.ts';

function certificate(): Uint8Array {
  const keys = forge.pki.rsa.generateKeyPair(1024);
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
