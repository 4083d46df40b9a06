/**
 * The demo's "PDF に電子署名" server flow without a browser: upload (raw application/pdf), the
 * hash the page would sign, the card's answer (a fixture key signs the same DigestInfo), the
 * server's verdict with the signer, and the signed PDF that pdfsig accepts. The browser half is
 * in test/e2e/demo.test.ts.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigestInfo } from '@jpki-bridge/shared';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { createDemoVerifier } from '../../demo/verifier-setup.ts';
import { makeSamplePdf } from '../../tools/dev/sample-pdf.ts';
import { peer } from '../harness/document-peers.ts';
import { sharedTestPki, signDigestInfo, type TestPki } from './verifier-fixtures.ts';

let pki: TestPki;
let server: DemoServer;
let dir: string;

beforeAll(async () => {
  pki = await sharedTestPki();
  dir = await mkdtemp(join(tmpdir(), 'jpki-demo-pdf-'));
  const stateFile = join(dir, 'card.json');
  await writeFile(stateFile, JSON.stringify({ ca: { auth: { certificate: pki.authRoot.certificate }, sign: { certificate: pki.signRoot.certificate } } }));
  server = await startDemoServer({ port: 0, createVerifier: async (origin) => (await createDemoVerifier({ origin, cardStateFile: stateFile })).verifier });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function request(path: string, init: { body?: BodyInit; type?: string; cookie?: string } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: { ...(init.type ? { 'Content-Type': init.type } : {}), ...(init.cookie ? { Cookie: init.cookie } : {}) },
    body: init.body,
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? init.cookie;
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), cookie };
}

describe('demo server: PDF に電子署名', () => {
  it('prepares an upload, takes one signature over the hash it gave, verifies, names the signer and serves a PDF pdfsig finds valid', async () => {
    const prepared = await request('/api/pdf/prepare?name=form.pdf', { body: new Uint8Array(makeSamplePdf({ text: 'Form' })), type: 'application/pdf' });
    expect(prepared.status).toBe(200);
    const { id, hash, hashFunction } = JSON.parse(prepared.bytes.toString());
    expect(hashFunction).toBe('SHA-256');
    const signature = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.from(hash, 'base64')));
    const done = await request('/api/pdf/complete', {
      body: JSON.stringify({ id, signature, certificate: pki.sign.certificate }),
      type: 'application/json',
      cookie: prepared.cookie,
    });
    const verdict = JSON.parse(done.bytes.toString());
    expect(verdict).toMatchObject({ ok: true, holder: { name: '公的　太郎' }, download: `/api/pdf/${id}.pdf` });
    const pdf = await request(verdict.download, { cookie: prepared.cookie });
    expect(pdf.status).toBe(200);
    const file = join(dir, 'form-signed.pdf');
    await writeFile(file, pdf.bytes);
    const pdfsig = (await peer('pdfsig', [file])).out;
    expect(pdfsig).toMatch(/Signature Validation: Signature is Valid\./);
    // The demo does not hold the signer's certificate before the PIN: no signingCertificateV2, so
    // the PDF must not claim PAdES (ETSI.CAdES.detached) — it says what it is.
    expect(pdfsig).toMatch(/Signature Type: adbe\.pkcs7\.detached/);
    // One signing per upload.
    const again = await request('/api/pdf/complete', {
      body: JSON.stringify({ id, signature, certificate: pki.sign.certificate }),
      type: 'application/json',
      cookie: prepared.cookie,
    });
    expect(again.status).toBe(404);
  });

  it('refuses an authentication certificate, a signature over another hash, and a file that is not a PDF', async () => {
    const prepared = await request('/api/pdf/prepare', { body: new Uint8Array(makeSamplePdf()), type: 'application/pdf' });
    const { id, hash } = JSON.parse(prepared.bytes.toString());
    const complete = async (body: object) =>
      JSON.parse(
        (await request('/api/pdf/complete', { body: JSON.stringify({ id, ...body }), type: 'application/json', cookie: prepared.cookie })).bytes.toString(),
      );
    const wrongKind = signDigestInfo(pki.auth, buildDigestInfo('SHA-256', Buffer.from(hash, 'base64')));
    expect(await complete({ signature: wrongKind, certificate: pki.auth.certificate })).toMatchObject({ ok: false, code: 'WRONG_CERTIFICATE_TYPE' });
    const otherHash = signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.alloc(32, 7)));
    expect(await complete({ signature: otherHash, certificate: pki.sign.certificate })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    const notPdf = await request('/api/pdf/prepare', { body: 'hello', type: 'application/pdf' });
    expect(notPdf.status).toBe(400);
    expect(JSON.parse(notPdf.bytes.toString())).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });
});
