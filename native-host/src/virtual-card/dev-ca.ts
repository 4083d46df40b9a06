/**
 * The development CA of the virtual card, made with node-forge, mirroring JPKI's profile
 * (relying-party/src/verifier/roots/README.md): two self-signed RSA-2048 roots with no
 * intermediates, and end-entity certificates issued directly by them. Test OIDs: see
 * docs/DECISIONS.md.
 */
import forge from 'node-forge';
import { randomBytes } from 'node:crypto';
import { DEV_POLICY_OID, JPKI_SAN_OID, encodeBirthDate } from '@jpki-bridge/shared/jpki-certificate';
import type { KeyKind, Persona, VirtualCardState } from './state.ts';

const { asn1, pki } = forge;

const ROOT_OU: Record<KeyKind, string> = {
  auth: 'JPKI for user authentication',
  sign: 'JPKI for digital signature',
};

export interface KeyPairPem {
  publicKey: string;
  privateKey: string;
}

interface Issue {
  subjectKey: KeyPairPem;
  issuerKey: KeyPairPem;
  issuer: forge.pki.CertificateField[];
  subject: forge.pki.CertificateField[];
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
}

export function rootSubject(kind: KeyKind): forge.pki.CertificateField[] {
  return [
    { shortName: 'C', value: 'JP' },
    { shortName: 'O', value: 'JPKI-TEST' },
    { shortName: 'OU', value: ROOT_OU[kind] },
    { shortName: 'OU', value: 'Japan Agency for Local Authority Information Systems' },
  ];
}

/** A self-signed root: keyCertSign+cRLSign and CA:TRUE, both critical, as J-LIS's roots. */
export function makeRoot(kind: KeyKind, key: KeyPairPem, notBefore: Date, notAfter: Date): string {
  return issue({
    subjectKey: key,
    issuerKey: key,
    issuer: rootSubject(kind),
    subject: rootSubject(kind),
    notBefore,
    notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
}

/** The authentication certificate: no personal data at all (docs/ARCHITECTURE.md § 1). */
export function makeAuthCertificate(key: KeyPairPem, ca: KeyPairPem, persona: Persona, notAfter: Date): string {
  return issue({
    subjectKey: key,
    issuerKey: ca,
    issuer: rootSubject('auth'),
    subject: endEntitySubject(),
    notBefore: new Date(persona.issued),
    notAfter,
    extensions: [
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
      { id: '2.5.29.32', value: policies(DEV_POLICY_OID.auth) },
      authorityKeyIdentifier(ca),
    ],
  });
}

/** The signing certificate: personal data as subjectAltName otherNames, UTF8String values. */
export function makeSignCertificate(key: KeyPairPem, ca: KeyPairPem, persona: Persona, notAfter: Date): string {
  return issue({
    subjectKey: key,
    issuerKey: ca,
    issuer: rootSubject('sign'),
    subject: endEntitySubject(),
    notBefore: new Date(persona.issued),
    notAfter,
    extensions: [
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      { id: '2.5.29.32', value: policies(DEV_POLICY_OID.sign) },
      {
        id: '2.5.29.17',
        value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          otherName(JPKI_SAN_OID.name, persona.name),
          otherName(JPKI_SAN_OID.sex, persona.sex),
          otherName(JPKI_SAN_OID.dateOfBirth, encodeBirthDate(persona.birth)),
          otherName(JPKI_SAN_OID.address, persona.address),
        ]),
      },
      authorityKeyIdentifier(ca),
    ],
  });
}

/** The two roots as PEM, for a verifier that should trust this card's development CA. */
export function devCaRoots(state: VirtualCardState): { auth: string; sign: string } {
  return { auth: toPem(state.ca.auth.certificate), sign: toPem(state.ca.sign.certificate) };
}

export function toPem(base64Der: string): string {
  const lines = base64Der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function issue(spec: Issue): string {
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(spec.subjectKey.publicKey);
  // Positive serial: a leading 0x01..0x7f byte keeps DER INTEGER positive without padding.
  cert.serialNumber = `${(1 + (randomBytes(1)[0]! % 0x7f)).toString(16).padStart(2, '0')}${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer);
  cert.setExtensions(spec.extensions);
  cert.sign(pki.privateKeyFromPem(spec.issuerKey.privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.util.encode64(asn1.toDer(pki.certificateToAsn1(cert)).getBytes());
}

/** Like JPKI's: no name in the subject, only the issuing municipality and a random identifier. */
function endEntitySubject(): forge.pki.CertificateField[] {
  return [
    { shortName: 'C', value: 'JP' },
    { shortName: 'L', value: 'Tokyo-to' },
    { shortName: 'L', value: 'Chiyoda-ku' },
    { shortName: 'CN', value: randomBytes(16).toString('hex').toUpperCase() },
  ];
}

function policies(oid: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())]),
  ]);
}

/** otherName ::= [0] { type-id OID, value [0] EXPLICIT UTF8String } */
function otherName(oid: string, value: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value))]),
  ]);
}

function authorityKeyIdentifier(ca: KeyPairPem): object {
  const keyId = pki.getPublicKeyFingerprint(pki.publicKeyFromPem(ca.publicKey), { type: 'RSAPublicKey' }).getBytes();
  return { name: 'authorityKeyIdentifier', keyIdentifier: keyId };
}
