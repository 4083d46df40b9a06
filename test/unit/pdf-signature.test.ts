/**
 * Signed PDFs made by the virtual card's signing key: poppler's pdfsig (with the development CA
 * trusted in an NSS database) reports the signature valid and names the signer, qpdf --check finds
 * the file sound, our verifier agrees — and one changed byte fails every one of them. Then myna's
 * advisories as cases: a ByteRange that leaves bytes unsigned, a second signature that does not
 * hold, a certificate outside its validity.
 */
import { createHash, sign, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleSignedData, buildSignedAttributes } from '../../relying-party/src/index.ts';
import { embedPdfSignature, preparePdf, verifyPdf } from '../../relying-party/src/index.ts';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { devCaRoots } from '../../native-host/src/virtual-card/index.ts';
import { makeSamplePdf } from '../../tools/dev/sample-pdf.ts';
import { issueLeaf, sharedTestPki, type Issued } from './verifier-fixtures.ts';
import { flipOneByte, peer } from '../harness/document-peers.ts';
import { makeDocumentSigner, type DocumentSigner } from './document-fixtures.ts';

let card: DocumentSigner;
let other: DocumentSigner;
let nssDir: string;
let original: Buffer;
let signed: Buffer;

/** prepare → signed attributes → the card → assemble → embed: what a site's server and page do, in one place. */
async function signPdf(signer: DocumentSigner, pdf: Uint8Array, withCertificate = true): Promise<Buffer> {
  const prepared = preparePdf(pdf, { reason: 'テスト署名 / test signature', location: 'Tokyo' });
  return signer.withSigner(async (s) => {
    const attributes = buildSignedAttributes({ contentDigest: prepared.digest, certificate: withCertificate ? s.certificate : undefined });
    const cms = assembleSignedData({ signedAttributes: attributes, signature: await s.sign(attributes.hash), certificates: [s.certificate] });
    return embedPdfSignature(prepared, cms);
  });
}

/** The same, with a key in memory (a fixture certificate the card could not have). */
function signPdfWithKey(issued: Issued, pdf: Uint8Array): Buffer {
  const prepared = preparePdf(pdf);
  const attributes = buildSignedAttributes({ contentDigest: prepared.digest });
  const certificate = Buffer.from(issued.certificate, 'base64');
  return embedPdfSignature(
    prepared,
    assembleSignedData({ signedAttributes: attributes, signature: sign('sha256', attributes.der, issued.privateKey), certificates: [certificate] }),
  );
}

async function saved(pdf: Uint8Array): Promise<string> {
  const file = join(card.dir, `doc-${createHash('sha256').update(pdf).digest('hex').slice(0, 12)}.pdf`);
  await writeFile(file, pdf);
  return file;
}

const pdfsig = async (pdf: Uint8Array) => peer('pdfsig', ['-nssdir', `sql:${nssDir}`, await saved(pdf)]);
const qpdfCheck = async (pdf: Uint8Array) => peer('qpdf', ['--check', await saved(pdf)]);

beforeAll(async () => {
  [card, other] = await Promise.all([makeDocumentSigner('adult'), makeDocumentSigner('other-adult')]);
  // pdfsig trusts what the NSS database it is given trusts: the dev CA as a trusted CA for every use ("C,C,C";
  // "C,," trusts it for TLS only, and pdfsig then says "Certificate issuer isn't Trusted").
  nssDir = join(card.dir, 'nss');
  await mkdir(nssDir);
  expect((await peer('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password'])).code).toBe(0);
  expect((await peer('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', 'jpki-bridge dev CA', '-t', 'C,C,C', '-i', card.caFile])).code).toBe(0);
  original = makeSamplePdf({ text: 'Sample filing', size: 20_000 });
  signed = await signPdf(card, original);
}, 120_000); // card creation makes RSA keys: slow on a loaded machine

describe('a PDF signed with the card', () => {
  it('is reported valid by pdfsig, which names the signer and the whole document as signed', async () => {
    const { code, out } = await pdfsig(signed);
    expect(out).toMatch(/Signature Validation: Signature is Valid\./);
    expect(out).toMatch(/Certificate Validation: Certificate is Trusted\./);
    expect(out).toMatch(/Total document signed/);
    expect(out).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    // JPKI puts the holder's name in subjectAltName, which pdfsig does not show: it names the certificate's subject.
    const subject = new X509Certificate(Buffer.from(card.state.sign!.certificate, 'base64')).subject;
    expect(out).toContain(`Signer Certificate Common Name: ${/CN=(.*)/.exec(subject)![1]}`);
    expect(code).toBe(0);
  });

  it('is found sound by qpdf --check, and keeps the original bytes as its first revision', async () => {
    const { code, out } = await qpdfCheck(signed);
    expect(out).toMatch(/No syntax or stream encoding errors found/);
    expect(code).toBe(0);
    expect(signed.subarray(0, original.length).equals(original)).toBe(true);
  });

  it('is verified by our verifier, which names the holder', async () => {
    const result = await verifyPdf(card.verifier, signed);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.signer.holder.name).toBe(card.state.persona.name);
    expect(result.signatures).toHaveLength(1);
    expect(result.signatures[0]!.coversWholeFile).toBe(true);
  });

  it('fails pdfsig, qpdf --check and our verifier after one changed byte of the page content', async () => {
    // A byte of the content stream's text, inside the signed range: the document says something else.
    const at = signed.indexOf('Sample filing');
    const tampered = flipOneByte(signed, at);
    const sig = await pdfsig(tampered);
    // pdfsig exits 0 whatever it finds (poppler 22): its verdict is the text.
    expect(sig.out).toMatch(/Signature Validation: Digest Mismatch\./);
    expect(sig.out).not.toMatch(/Signature is Valid/);
    expect(await verifyPdf(card.verifier, tampered)).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
  });

  it('fails qpdf --check, pdfsig and our verifier after one changed byte of the structure', async () => {
    // The "obj" of the catalog's newest revision (the update's): qpdf sees a broken object, pdfsig a digest mismatch.
    const at = signed.lastIndexOf('1 0 obj') + 4;
    const tampered = flipOneByte(signed, at);
    expect((await qpdfCheck(tampered)).code).not.toBe(0);
    expect((await pdfsig(tampered)).out).not.toMatch(/Signature is Valid/);
    expect(await verifyPdf(card.verifier, tampered)).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
  });

  it('signed again by a second card keeps both signatures valid (an incremental update each)', async () => {
    const twice = await signPdf(other, signed);
    const both = new JpkiVerifier({
      trustAnchors: trustAnchorsFrom(devCaRoots(card.state).sign + devCaRoots(other.state).sign, 'two dev CAs'),
      policies: JPKI_TEST_POLICY_OIDS,
      revocation: 'not-checked',
    });
    const result = await verifyPdf(both, twice);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.signatures.map((s) => s.coversWholeFile)).toEqual([false, true]);
    const { out } = await pdfsig(twice);
    expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
  });
});

describe('a PDF whose last cross-reference is a stream (PDF 1.5 object streams, made by qpdf)', () => {
  let streamed: Buffer;
  let signedStreamed: Buffer;

  beforeAll(async () => {
    const file = join(card.dir, 'object-streams.pdf');
    expect((await peer('qpdf', ['--object-streams=generate', await saved(original), file])).code).toBe(0);
    streamed = await readFile(file);
    // The fixture is what it claims: a cross-reference stream, and the page tree inside an object stream.
    const xref = (await peer('qpdf', ['--show-xref', file])).out;
    expect(xref).toMatch(/^2\/0: compressed; stream = \d+, index = \d+$/m);
    expect(streamed.toString('latin1').includes('/Type /XRef')).toBe(true);
    signedStreamed = await signPdf(card, streamed);
  }, 60_000);

  it('is signed with an update whose cross-reference is a stream too, and keeps the original bytes', () => {
    expect(signedStreamed.subarray(0, streamed.length).equals(streamed)).toBe(true);
    const update = signedStreamed.subarray(streamed.length).toString('latin1');
    expect(update).toMatch(/\/Type \/XRef/);
    expect(update).not.toMatch(/^xref$/m);
  });

  it('is reported valid by pdfsig (signer named, whole document), sound by qpdf --check, and verified by our verifier', async () => {
    const sig = await pdfsig(signedStreamed);
    expect(sig.out).toMatch(/Signature Validation: Signature is Valid\./);
    expect(sig.out).toMatch(/Total document signed/);
    const subject = new X509Certificate(Buffer.from(card.state.sign!.certificate, 'base64')).subject;
    expect(sig.out).toContain(`Signer Certificate Common Name: ${/CN=(.*)/.exec(subject)![1]}`);
    const check = await qpdfCheck(signedStreamed);
    expect(check.out).toMatch(/No syntax or stream encoding errors found/);
    expect(check.out).not.toMatch(/WARNING/);
    expect(check.code).toBe(0);
    expect(await verifyPdf(card.verifier, signedStreamed)).toMatchObject({ ok: true, signer: { holder: { name: card.state.persona.name } } });
  });

  it('fails pdfsig and our verifier after one changed byte of the original, and qpdf --check after one of the update', async () => {
    const content = flipOneByte(signedStreamed, Math.floor(streamed.length / 2));
    expect((await pdfsig(content)).out).toMatch(/Signature Validation: Digest Mismatch\./);
    expect(await verifyPdf(card.verifier, content)).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
    const structure = flipOneByte(signedStreamed, signedStreamed.lastIndexOf('/Type /XRef') + 2);
    expect((await qpdfCheck(structure)).out).not.toMatch(/^No syntax or stream encoding errors found/m);
    expect(await verifyPdf(card.verifier, structure)).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
  });

  it('signed again by a second card keeps both signatures valid (the new stream chains to ours)', async () => {
    const twice = await signPdf(other, signedStreamed);
    const { out } = await pdfsig(twice);
    expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
    expect(out).toMatch(/Signature Field Name: Signature2/);
    expect((await qpdfCheck(twice)).code).toBe(0);
  });
});

describe('a PDF with a form already: a direct /AcroForm in the catalog and /Annots by reference', () => {
  it('keeps the form’s entries, adds the field, and pdfsig, qpdf --check and our verifier accept it', async () => {
    const edited = original
      .toString('latin1')
      .replace('<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /DA (/Helv 0 Tf 0 g) >> >>')
      .replace('/Contents 5 0 R >>', '/Contents 5 0 R /Annots 4 0 R >>')
      .replace('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>', '[]');
    // The edits moved every offset: qpdf rewrites the file with a true cross-reference (exit 3: it warned while repairing).
    const file = join(card.dir, 'with-form.pdf');
    expect((await peer('qpdf', [await saved(Buffer.from(edited, 'latin1')), file])).code).toBe(3);
    const withForm = await signPdf(card, await readFile(file));
    const update = withForm.toString('latin1', withForm.lastIndexOf('%%EOF', withForm.length - 10));
    expect(update).toMatch(/\/DA \(\/Helv 0 Tf 0 g\)\n\/Fields \[\d+ 0 R\]\n\/SigFlags 3/);
    expect(update).toMatch(/\/Annots \[\d+ 0 R\]/);
    expect((await pdfsig(withForm)).out).toMatch(/Signature Validation: Signature is Valid\./);
    expect((await qpdfCheck(withForm)).code).toBe(0);
    expect(await verifyPdf(card.verifier, withForm)).toMatchObject({ ok: true });
  });
});

describe("myna's advisories, as cases our verifier must refuse", () => {
  it('bytes appended after the signature: the ByteRange no longer covers the whole file', async () => {
    const appended = Buffer.concat([signed, Buffer.from('\n1 0 obj\n<< /Type /Catalog >>\nendobj\n')]);
    expect(await verifyPdf(card.verifier, appended)).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
  });

  it('a ByteRange whose hole is not the /Contents string', async () => {
    const text = signed.toString('latin1');
    const [match, a, b, c, d] = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+) *\]/.exec(text)!;
    // Shift the hole one byte left: the signed ranges skip a byte of the dictionary.
    const moved = `/ByteRange [${a} ${Number(b) - 1} ${Number(c) - 1} ${Number(d) + 1}]`.padEnd(match.length, ' ');
    const tampered = Buffer.from(text.replace(match, moved), 'latin1');
    expect(await verifyPdf(card.verifier, tampered)).toMatchObject({ ok: false, code: 'DOCUMENT_MALFORMED' });
  });

  it('every signature is checked: a valid first one does not carry an untrusted second one', async () => {
    const twice = await signPdf(other, signed);
    const result = await verifyPdf(card.verifier, twice);
    expect(result).toMatchObject({ ok: false, code: 'UNTRUSTED_CERTIFICATE' });
    expect(result.signatures.map((s) => s.result.ok)).toEqual([true, false]);
  });

  it('a certificate outside its validity when verified: CERTIFICATE_EXPIRED', async () => {
    const later = new JpkiVerifier({
      trustAnchors: trustAnchorsFrom(devCaRoots(card.state).sign, 'dev CA'),
      policies: JPKI_TEST_POLICY_OIDS,
      revocation: 'not-checked',
      now: () => new Date(Date.parse(card.state.persona.issued) + 6 * 365 * 86400_000),
    });
    expect(await verifyPdf(later, signed)).toMatchObject({ ok: false, code: 'CERTIFICATE_EXPIRED' });
  });

  it('key usage and basic constraints: a key without nonRepudiation, and a CA certificate as the signer', async () => {
    const pki = await sharedTestPki();
    const verifier = new JpkiVerifier({
      trustAnchors: trustAnchorsFrom(pki.signRoot.pem, 'fixture CA'),
      policies: JPKI_TEST_POLICY_OIDS,
      revocation: 'not-checked',
    });
    const noNonRepudiation = issueLeaf(pki.signRoot, { kind: 'sign', nonRepudiation: false });
    expect(await verifyPdf(verifier, signPdfWithKey(noNonRepudiation, original))).toMatchObject({ ok: false, code: 'WRONG_CERTIFICATE_TYPE' });
    expect(await verifyPdf(verifier, signPdfWithKey(pki.signRoot, original))).toMatchObject({ ok: false, code: 'UNTRUSTED_CERTIFICATE' });
  });

  it('a PDF without a signature', async () => {
    expect(await verifyPdf(card.verifier, original)).toMatchObject({ ok: false, code: 'DOCUMENT_MALFORMED' });
  });
});
