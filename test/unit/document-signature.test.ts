/**
 * The site's half of signing a PDF in the browser (prepare → the card signs `hash` → complete):
 * the PDF says what its CMS is. With the signer's certificate known beforehand the signed attributes
 * carry signingCertificateV2 and the SubFilter is ETSI.CAdES.detached (PAdES); without it (one
 * dialog, nothing read before) they cannot, and the SubFilter is adbe.pkcs7.detached. pdfsig reads it.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDigestInfo } from '@jpki-bridge/shared';
import { completeDocumentSignature, JpkiVerifier, JPKI_TEST_POLICY_OIDS, preparePdfSignature, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { makeSamplePdf } from '../../tools/dev/sample-pdf.ts';
import { peer } from '../harness/document-peers.ts';
import { sharedTestPki, signDigestInfo } from './verifier-fixtures.ts';

async function signedAndRead(withCertificate: boolean) {
  const pki = await sharedTestPki();
  const verifier = new JpkiVerifier({
    trustAnchors: trustAnchorsFrom(pki.signRoot.pem, 'fixture CA'),
    policies: JPKI_TEST_POLICY_OIDS,
    revocation: 'not-checked',
  });
  const prepared = preparePdfSignature(new Uint8Array(makeSamplePdf({ text: 'Form' })), withCertificate ? { certificate: pki.sign.certificate } : {});
  const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.from(prepared.hash, 'base64')));
  const done = await completeDocumentSignature(verifier, prepared, signature, pki.sign.certificate);
  if (!done.ok) throw new Error(`not signed: ${done.code} ${done.message}`);
  const file = join(await mkdtemp(join(tmpdir(), 'jpki-document-signature-')), 'signed.pdf');
  await writeFile(file, done.document);
  return (await peer('pdfsig', [file])).out;
}

describe('preparePdfSignature', () => {
  it('with the signing certificate known beforehand: PAdES (ETSI.CAdES.detached), which pdfsig finds valid', async () => {
    const out = await signedAndRead(true);
    expect(out).toMatch(/Signature Validation: Signature is Valid\./);
    expect(out).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
  });

  it('without it: adbe.pkcs7.detached, never a PAdES claim the signed attributes cannot back', async () => {
    const out = await signedAndRead(false);
    expect(out).toMatch(/Signature Validation: Signature is Valid\./);
    expect(out).toMatch(/Signature Type: adbe\.pkcs7\.detached/);
  });
});
