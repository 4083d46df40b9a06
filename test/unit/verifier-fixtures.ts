/**
 * A small JPKI-shaped PKI for the verifier's tests, made with node-forge (keys from Node, which
 * is much faster than forge at RSA key generation): self-signed roots, authentication and signing
 * end-entity certificates with the JPKI policy OIDs, keyUsage and subjectAltName otherNames, and
 * helpers that sign as the card would. `sharedTestPki()` is one such PKI for the whole run (its
 * seven keys are made once, test/harness/fixture-cache.ts).
 */
import { constants, createHash, createPrivateKey, generateKeyPairSync, privateEncrypt, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { buildDigestInfo, type AuthToken } from '@jpki-bridge/shared';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT, buildAuthBlock } from '@jpki-bridge/shared/auth-token';
import { DEV_POLICY_OID } from '@jpki-bridge/shared/jpki-certificate';
import { sharedFixture } from '../harness/fixture-cache.ts';

const { pki, asn1 } = forge;

export interface Issued {
  /** base64 DER */
  certificate: string;
  pem: string;
  privateKey: KeyObject;
  forgeCert: forge.pki.Certificate;
  forgeKey: forge.pki.rsa.PrivateKey;
}

function keyPair(): { privateKey: KeyObject; forgeKey: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const forgePublic = pki.setRsaPublicKey(forgeKey.n, forgeKey.e) as forge.pki.rsa.PublicKey;
  return { privateKey: createPrivateKey(pem), forgeKey, forgePublic };
}

function finish(cert: forge.pki.Certificate, signer: forge.pki.rsa.PrivateKey, privateKey: KeyObject, forgeKey: forge.pki.rsa.PrivateKey): Issued {
  cert.sign(signer, forge.md.sha256.create());
  const der = asn1.toDer(pki.certificateToAsn1(cert)).getBytes();
  return {
    certificate: Buffer.from(der, 'binary').toString('base64'),
    pem: pki.certificateToPem(cert),
    privateKey,
    forgeCert: cert,
    forgeKey,
  };
}

/** Random, so a leaf issued here never repeats the serial of one from the shared PKI (made in another process). */
function nextSerial(): string {
  return `01${randomBytes(7).toString('hex')}`; // eight bytes; a first byte of 01 keeps the DER INTEGER positive and minimal
}

export function makeRoot(ou: string, validity: { from?: Date; to?: Date } = {}): Issued {
  const { privateKey, forgeKey, forgePublic } = keyPair();
  const cert = pki.createCertificate();
  cert.publicKey = forgePublic;
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = validity.from ?? new Date(Date.UTC(2020, 0, 1));
  cert.validity.notAfter = validity.to ?? new Date(Date.UTC(2040, 0, 1));
  const attrs = [
    { shortName: 'C', value: 'JP' },
    { shortName: 'O', value: 'JPKI-TEST' },
    { shortName: 'OU', value: ou },
    { shortName: 'OU', value: 'Verifier test CA' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  return finish(cert, forgeKey, privateKey, forgeKey);
}

export interface LeafOptions {
  kind: 'auth' | 'sign';
  policy?: string;
  notBefore?: Date;
  notAfter?: Date;
  holder?: { name: string; address: string; dateOfBirth: string; sex: string };
  /** Override keyUsage bits. */
  nonRepudiation?: boolean;
}

function utf8OtherName(oid: string, value: string) {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(value))]),
  ]);
}

export function issueLeaf(ca: Issued, options: LeafOptions): Issued {
  const { privateKey, forgeKey, forgePublic } = keyPair();
  const cert = pki.createCertificate();
  cert.publicKey = forgePublic;
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.UTC(2024, 0, 1));
  cert.validity.notAfter = options.notAfter ?? new Date(Date.UTC(2029, 0, 1));
  cert.setIssuer(ca.forgeCert.subject.attributes);
  cert.setSubject([
    { shortName: 'C', value: 'JP' },
    { shortName: 'CN', value: `${options.kind === 'auth' ? 'A' : 'S'}${cert.serialNumber}TEST` },
  ]);
  const policy = options.policy ?? DEV_POLICY_OID[options.kind];
  const extensions: object[] = [
    {
      name: 'keyUsage',
      critical: true,
      digitalSignature: true,
      nonRepudiation: options.nonRepudiation ?? options.kind === 'sign',
    },
    {
      id: '2.5.29.32',
      critical: true,
      value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(policy).getBytes()),
        ]),
      ]),
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.forgeCert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (options.holder) {
    const h = options.holder;
    extensions.push({
      id: '2.5.29.17',
      value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        utf8OtherName('1.2.392.200149.8.5.5.1', h.name),
        utf8OtherName('1.2.392.200149.8.5.5.4', h.dateOfBirth),
        utf8OtherName('1.2.392.200149.8.5.5.3', h.sex),
        utf8OtherName('1.2.392.200149.8.5.5.5', h.address),
        utf8OtherName('1.2.392.200149.8.5.5.2', '0'.repeat([...h.name].length)),
        utf8OtherName('1.2.392.200149.8.5.5.6', '0'.repeat([...h.address].length)),
      ]),
    });
  }
  cert.setExtensions(extensions);
  return finish(cert, ca.forgeKey, privateKey, forgeKey);
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

/** SHA-256(SHA-256(origin) ‖ SHA-256(nonce)): the hash a login token (and a web-eid token) binds. */
export function tokenHash(origin: string, nonce: string): Buffer {
  return sha256(Buffer.concat([sha256(origin), sha256(nonce)]));
}

/** What the host does for `authenticate`: the card signs the labelled block (shared/src/auth-token.ts). */
export function makeToken(leaf: Issued, origin: string, nonce: string): AuthToken {
  return wrapToken(leaf, signDigestInfo(leaf, buildAuthBlock(tokenHash(origin, nonce))));
}

/**
 * The forgery of issue 10: what a portal page can have the card sign through `launchApp` mode 01 —
 * the web-eid DigestInfo over another site's origin and nonce (not the token's block).
 */
export function portalDigestInfoSignature(leaf: Issued, origin: string, nonce: string): string {
  return signDigestInfo(leaf, buildDigestInfo('SHA-256', tokenHash(origin, nonce)));
}

/** A token around any signature by `leaf`'s key. */
export function wrapToken(leaf: Issued, signature: string): AuthToken {
  return {
    format: AUTH_TOKEN_FORMAT,
    unverifiedCertificate: leaf.certificate,
    algorithm: AUTH_TOKEN_ALGORITHM,
    signature,
    appVersion: 'https://github.com/jpki-bridge/jpki-bridge/0.1.0',
  } as unknown as AuthToken;
}

/** The card's COMPUTE DIGITAL SIGNATURE: PKCS#1 v1.5 over a DigestInfo it is handed. */
export function signDigestInfo(leaf: Issued, digestInfo: Uint8Array): string {
  // privateEncrypt with PKCS#1 padding is block type 1 over the raw input: what the card does.
  return privateEncrypt({ key: leaf.privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('base64');
}

export interface TestPki {
  authRoot: Issued;
  signRoot: Issued;
  otherRoot: Issued;
  auth: Issued;
  sign: Issued;
  expiredAuth: Issued;
  otherCaAuth: Issued;
}

export function makeTestPki(): TestPki {
  const authRoot = makeRoot('JPKI for user authentication');
  const signRoot = makeRoot('JPKI for digital signature');
  const otherRoot = makeRoot('Some other CA');
  return {
    authRoot,
    signRoot,
    otherRoot,
    auth: issueLeaf(authRoot, { kind: 'auth' }),
    sign: issueLeaf(signRoot, {
      kind: 'sign',
      holder: { name: '公的　太郎', address: '東京都千代田区霞が関２－１－２', dateOfBirth: '319850401', sex: '1' },
    }),
    expiredAuth: issueLeaf(authRoot, {
      kind: 'auth',
      notBefore: new Date(Date.UTC(2018, 0, 1)),
      notAfter: new Date(Date.UTC(2023, 0, 1)),
    }),
    otherCaAuth: issueLeaf(otherRoot, { kind: 'auth' }),
  };
}

/** The PKI of `makeTestPki`, made once per run and shared by the test files; each caller gets its own objects. */
export async function sharedTestPki(): Promise<TestPki> {
  const made = await sharedFixture('verifier-pki', () =>
    mapIssued(makeTestPki(), ({ certificate, pem, privateKey }) => ({ certificate, pem, key: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() })),
  );
  return mapIssued(made, ({ certificate, pem, key }) => ({
    certificate,
    pem,
    privateKey: createPrivateKey(key),
    forgeCert: pki.certificateFromPem(pem),
    forgeKey: pki.privateKeyFromPem(key) as forge.pki.rsa.PrivateKey,
  }));
}

function mapIssued<A, B>(from: Record<keyof TestPki, A>, fn: (a: A) => B): Record<keyof TestPki, B> {
  return Object.fromEntries(Object.entries(from).map(([name, value]) => [name, fn(value as A)])) as Record<keyof TestPki, B>;
}

/** A v2 CRL issued by `ca`, listing `revoked` (certificates), signed sha256WithRSA (or `hash`) with Node; no nextUpdate when null. */
export function makeCrl(
  ca: Issued,
  revoked: Issued[],
  thisUpdate: Date,
  nextUpdate: Date | null,
  extensions: Array<{ oid: string; critical: boolean; value: forge.asn1.Asn1 }> = [],
  hash: 'sha1' | 'sha256' = 'sha256',
): Buffer {
  const seq = (value: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
  const oid = (dotted: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
  const time = (date: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
  const integer = (hex: string) => {
    const even = hex.length % 2 ? `0${hex}` : hex;
    const positive = parseInt(even.slice(0, 2), 16) >= 0x80 ? `00${even}` : even;
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(positive));
  };
  const algorithm = seq([
    oid(hash === 'sha1' ? '1.2.840.113549.1.1.5' : '1.2.840.113549.1.1.11'),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  ]);
  const entries = revoked.map((cert) => seq([integer(cert.forgeCert.serialNumber), time(thisUpdate)]));
  const tbs = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(1)),
    algorithm,
    pki.distinguishedNameToAsn1(ca.forgeCert.subject),
    time(thisUpdate),
    ...(nextUpdate ? [time(nextUpdate)] : []),
    ...(entries.length ? [seq(entries)] : []),
    ...(extensions.length
      ? [
          asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
            seq(
              extensions.map((ext) =>
                seq([
                  oid(ext.oid),
                  ...(ext.critical ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, String.fromCharCode(0xff))] : []),
                  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, asn1.toDer(ext.value).getBytes()),
                ]),
              ),
            ),
          ]),
        ]
      : []),
  ]);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = cryptoSign(hash, tbsDer, ca.privateKey);
  const crl = seq([tbs, algorithm, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + signature.toString('binary'))]);
  return Buffer.from(asn1.toDer(crl).getBytes(), 'binary');
}
