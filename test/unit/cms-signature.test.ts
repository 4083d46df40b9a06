/**
 * Detached CMS (CAdES-BES) signatures made by the virtual card's signing key: our verifier and
 * OpenSSL (`openssl cms -verify`, a verifier nobody here wrote) accept them with the development
 * CA, and both refuse them after one changed byte of the content or of the signature.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { ContentInfo, SignedData } from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleSignedData, buildSignedAttributes, signDetached, verifyDetachedCms } from '../../relying-party/src/index.ts';
import { flipOneByte, peer } from '../harness/document-peers.ts';
import { makeDocumentSigner, type DocumentSigner } from './document-fixtures.ts';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const content = new TextEncoder().encode('確定申告書 / tax return 2026\n'.repeat(100));

let card: DocumentSigner;
/** Another card, of another development CA. */
let other: DocumentSigner;
let cms: Uint8Array;

beforeAll(async () => {
  [card, other] = await Promise.all([makeDocumentSigner('adult'), makeDocumentSigner('other-adult')]);
  cms = await card.withSigner((signer) => signDetached({ contentDigest: sha256(content), certificates: [signer.certificate], sign: signer.sign }));
}, 120_000); // card creation makes RSA keys: slow on a loaded machine

async function opensslVerify(p7s: Uint8Array, data: Uint8Array): Promise<{ code: number; out: string }> {
  const dataFile = join(card.dir, `data-${Math.random()}`);
  await writeFile(dataFile, data);
  await writeFile(`${dataFile}.p7s`, p7s);
  return peer('openssl', [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    `${dataFile}.p7s`,
    '-content',
    dataFile,
    '-CAfile',
    card.caFile,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
}

describe('a detached CMS signature of a file', () => {
  it('is accepted by openssl cms -verify with the development CA', async () => {
    const result = await opensslVerify(cms, content);
    expect(result.out).toMatch(/Verification successful/);
    expect(result.code).toBe(0);
  });

  it('fails openssl cms -verify after one changed byte of the content', async () => {
    const result = await opensslVerify(cms, flipOneByte(content));
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/digest failure|verification failure/i);
  });

  it('fails openssl cms -verify after one changed byte of the signature value', async () => {
    const result = await opensslVerify(flipOneByte(cms, cms.length - 10), content);
    expect(result.code).not.toBe(0);
  });

  it('is verified by our verifier, which names the signer from the signing certificate', async () => {
    const result = await verifyDetachedCms(card.verifier, cms, { bytes: content });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.holder.name).toBe(card.state.persona.name);
    expect(result.certificateInfo.kind).toBe('sign');
    expect(Math.abs(result.signingTime!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('is refused by our verifier with DIGEST_MISMATCH after one changed byte of the content', async () => {
    const result = await verifyDetachedCms(card.verifier, cms, { bytes: flipOneByte(content) });
    expect(result).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH' });
  });

  it('is refused by our verifier with SIGNATURE_INVALID after one changed byte of the signature value', async () => {
    const result = await verifyDetachedCms(card.verifier, flipOneByte(cms, cms.length - 10), { bytes: content });
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('carries the four CAdES-BES signed attributes, in DER order, with signingCertificateV2 naming the signer', async () => {
    const signedData = new SignedData({ schema: ContentInfo.fromBER(new Uint8Array(cms)).content });
    const types = signedData.signerInfos[0]!.signedAttrs!.attributes.map((a) => a.type);
    expect(new Set(types)).toEqual(new Set(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5', '1.2.840.113549.1.9.16.2.47']));
    const cmsText = (await peer('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', await saved(cms)])).out;
    expect(cmsText).toMatch(/id-smime-aa-signingCertificateV2/);
    expect(cmsText).toMatch(/eContent: <ABSENT>/);
  });
});

describe('what the verifier refuses', () => {
  it('a signature from a key the trust anchors do not know: UNTRUSTED_CERTIFICATE', async () => {
    const foreign = await other.withSigner((s) => signDetached({ contentDigest: sha256(content), certificates: [s.certificate], sign: s.sign }));
    expect(await verifyDetachedCms(card.verifier, foreign, { bytes: content })).toMatchObject({ ok: false, code: 'UNTRUSTED_CERTIFICATE' });
  });

  it('a signingCertificateV2 that names another certificate than the one that signed', async () => {
    const attributes = buildSignedAttributes({ contentDigest: sha256(content), certificate: Buffer.from(other.state.sign!.certificate, 'base64') });
    const forged = await card.withSigner(async (s) =>
      assembleSignedData({ signedAttributes: attributes, signature: await s.sign(attributes.hash), certificates: [s.certificate] }),
    );
    expect(await verifyDetachedCms(card.verifier, forged, { bytes: content })).toMatchObject({ ok: false, code: 'DOCUMENT_MALFORMED' });
  });

  it('a signature whose carried certificate is not the one the signer identifier names', async () => {
    const signed = await card.withSigner(async (s) => {
      const attributes = buildSignedAttributes({ contentDigest: sha256(content) });
      return assembleSignedData({ signedAttributes: attributes, signature: await s.sign(attributes.hash), certificates: [s.certificate] });
    });
    // Swap the carried certificate for another card's: the issuer+serial no longer finds it.
    const swapped = replaceBytes(signed, Buffer.from(card.state.sign!.certificate, 'base64'), Buffer.from(other.state.sign!.certificate, 'base64'));
    expect(await verifyDetachedCms(card.verifier, swapped, { bytes: content })).toMatchObject({ ok: false, code: 'DOCUMENT_MALFORMED' });
  });

  it('bytes that are not CMS, and a CMS with the content inside', async () => {
    expect(await verifyDetachedCms(card.verifier, content, { bytes: content })).toMatchObject({ ok: false, code: 'DOCUMENT_MALFORMED' });
    const attached = withContent(cms, content);
    expect(await verifyDetachedCms(card.verifier, attached, { bytes: content })).toMatchObject({ ok: false, code: 'DOCUMENT_MALFORMED' });
  });
});

async function saved(bytes: Uint8Array): Promise<string> {
  const file = join(card.dir, `cms-${Math.random()}.p7s`);
  await writeFile(file, bytes);
  await readFile(file);
  return file;
}

function replaceBytes(haystack: Uint8Array, needle: Uint8Array, replacement: Uint8Array): Uint8Array {
  const at = Buffer.from(haystack).indexOf(Buffer.from(needle));
  if (at < 0 || needle.length !== replacement.length) throw new Error('replaceBytes: not found or not the same length');
  const copy = new Uint8Array(haystack);
  copy.set(replacement, at);
  return copy;
}

function withContent(der: Uint8Array, data: Uint8Array): Uint8Array {
  const info = ContentInfo.fromBER(new Uint8Array(der));
  const signedData = new SignedData({ schema: info.content });
  signedData.encapContentInfo.eContent = new asn1js.OctetString({ valueHex: data });
  return new Uint8Array(new ContentInfo({ contentType: info.contentType, content: signedData.toSchema(true) }).toSchema().toBER());
}
