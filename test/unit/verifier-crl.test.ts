import { beforeAll, describe, expect, it } from 'vitest';
import {
  CrlRevocationChecker,
  JpkiVerifier,
  JPKI_TEST_POLICY_OIDS,
  trustAnchorsFrom,
} from '../../relying-party/src/verifier/index.ts';
import { issueLeaf, makeCrl, makeTestPki, makeToken, type Issued, type TestPki } from './verifier-fixtures.ts';

const ORIGIN = 'https://login.example.jp';
const NOW = new Date(Date.UTC(2026, 5, 1));
const DAY = 86_400_000;

let pki: TestPki;
let revokedAuth: Issued;
beforeAll(() => {
  pki = makeTestPki();
  revokedAuth = issueLeaf(pki.authRoot, { kind: 'auth' });
});

function verifier(crls: Buffer[]) {
  return new JpkiVerifier({
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

  it('says unknown when the CRL is stale', async () => {
    const stale = makeCrl(pki.authRoot, [revokedAuth], new Date(NOW.getTime() - 10 * DAY), new Date(NOW.getTime() - DAY));
    expect(await login(verifier([stale]), pki.auth)).toMatchObject({ ok: true, revocation: 'unknown' });
  });

  it('ignores a CRL signed by another CA, even if it names the right issuer', async () => {
    const forged = makeCrl({ ...pki.otherRoot, forgeCert: pki.authRoot.forgeCert }, [pki.auth], new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY));
    expect(await login(verifier([forged]), pki.auth)).toMatchObject({ ok: true, revocation: 'unknown' });
  });

  it('says unknown without a CRL for the issuer', async () => {
    const signCrl = makeCrl(pki.signRoot, [], new Date(NOW.getTime() - DAY), new Date(NOW.getTime() + DAY));
    expect(await login(verifier([signCrl]), pki.auth)).toMatchObject({ ok: true, revocation: 'unknown' });
  });
});
