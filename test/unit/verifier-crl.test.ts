import { beforeAll, describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { CrlRevocationChecker, JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { issueLeaf, makeCrl, sharedTestPki, makeToken, type Issued, type TestPki } from './verifier-fixtures.ts';

const ORIGIN = 'https://login.example.jp';
const NOW = new Date(Date.UTC(2026, 5, 1));
const DAY = 86_400_000;

let pki: TestPki;
let revokedAuth: Issued;
beforeAll(async () => {
  pki = await sharedTestPki();
  revokedAuth = issueLeaf(pki.authRoot, { kind: 'auth' });
});

function verifier(crls: Buffer[], allowUnknownRevocation = false) {
  return new JpkiVerifier({
    allowUnknownRevocation,
    trustAnchors: trustAnchorsFrom(pki.authRoot.pem, 'auth root'),
    policies: JPKI_TEST_POLICY_OIDS,
    origin: ORIGIN,
    now: () => NOW,
    revocation: new CrlRevocationChecker(crls, () => NOW),
  });
}

async function login(v: JpkiVerifier, leaf: Issued) {
  const nonce = await v.issueNonce();
  return v.verifyAuthToken(makeToken(leaf, ORIGIN, nonce), { nonce });
}

describe('CRL revocation checker', () => {
  it('says REVOKED for a listed certificate and good for an unlisted one', async () => {
    const crl = makeCrl(pki.authRoot, [revokedAuth], new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY));
    const v = verifier([crl]);
    expect(await login(v, revokedAuth)).toMatchObject({ ok: false, code: 'REVOKED' });
    expect(await login(v, pki.auth)).toMatchObject({ ok: true, revocation: 'good' });
  });

  it('fails REVOCATION_UNKNOWN when the CRL is stale (revocation does not fail open)', async () => {
    const stale = makeCrl(pki.authRoot, [revokedAuth], new Date(NOW.getTime() - 10 * DAY), new Date(NOW.getTime() - DAY));
    expect(await login(verifier([stale]), pki.auth)).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
    expect(await login(verifier([stale]), revokedAuth)).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
  });

  it('reports a stale CRL as revocation "unknown" only to a site that opted in with allowUnknownRevocation', async () => {
    const stale = makeCrl(pki.authRoot, [revokedAuth], new Date(NOW.getTime() - 10 * DAY), new Date(NOW.getTime() - DAY));
    expect(await login(verifier([stale], true), pki.auth)).toMatchObject({ ok: true, revocation: 'unknown' });
  });

  it('ignores a CRL signed by another CA, even if it names the right issuer', async () => {
    const forged = makeCrl({ ...pki.otherRoot, forgeCert: pki.authRoot.forgeCert }, [pki.auth], new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY));
    expect(await login(verifier([forged]), pki.auth)).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
  });

  it('does not take a CRL with a critical extension it cannot honour (delta CRL, partitioned CRL) as complete', async () => {
    const number = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, String.fromCharCode(7));
    const window = [new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY)] as const;
    // A delta CRL lists only what changed since its base: its silence about a certificate is not "good".
    const delta = makeCrl(pki.authRoot, [], ...window, [{ oid: '2.5.29.27', critical: true, value: number }]);
    expect(await login(verifier([delta]), revokedAuth)).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
    // A non-critical extension (cRLNumber) changes nothing.
    const numbered = makeCrl(pki.authRoot, [revokedAuth], ...window, [{ oid: '2.5.29.20', critical: false, value: number }]);
    expect(await login(verifier([numbered]), pki.auth)).toMatchObject({ ok: true, revocation: 'good' });
    expect(await login(verifier([numbered]), revokedAuth)).toMatchObject({ ok: false, code: 'REVOKED' });
  });

  it('refuses to load a CRL without nextUpdate, which would count as current forever (issue 19 finding 11)', () => {
    const forever = makeCrl(pki.authRoot, [], new Date(NOW.getTime() - DAY), null);
    expect(() => new CrlRevocationChecker([forever], () => NOW)).toThrow(/no nextUpdate/);
  });

  it('refuses to load a CRL signed with SHA-1 (issue 19 finding 11)', () => {
    const sha1 = makeCrl(pki.authRoot, [], new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY), [], 'sha1');
    expect(() => new CrlRevocationChecker([sha1], () => NOW)).toThrow(/SHA-1/);
  });

  it('fails REVOCATION_UNKNOWN without a CRL for the issuer', async () => {
    const signCrl = makeCrl(pki.signRoot, [], new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY));
    expect(await login(verifier([signCrl]), pki.auth)).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
  });
});
