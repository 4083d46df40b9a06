/**
 * e-Tax's internal detached layout, signed by the virtual card's signing key: a Signature after
 * the procedure element inside DATA, referencing it by id. xmlsec1 (a verifier nobody here wrote)
 * and our verifier accept it; both refuse a changed byte of the signed element; ours also refuses
 * the layout's wrapping variants.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeXmlSignature, prepareDetachedXmlSignature, verifyDetachedXmlSignature } from '../../relying-party/src/index.ts';
import { peer } from '../harness/document-peers.ts';
import { makeDocumentSigner, type DocumentSigner } from './document-fixtures.ts';

const NS = 'urn:jpki-bridge:demo:etax:1';
const unsigned = `<?xml version="1.0" encoding="UTF-8"?>
<DATA xmlns="${NS}" id="DATA">
<RSH0010 id="RSH0010" VR="1.0"><Name>所得税及び復興特別所得税の確定申告書</Name><Year>2026</Year><Income currency="JPY">5000000</Income></RSH0010>
</DATA>`;

let card: DocumentSigner;
let signed: string;

async function signDetached(xml: string, id: string): Promise<string> {
  const prepared = prepareDetachedXmlSignature(xml, id);
  return card.withSigner(async (signer) => {
    const signature = await signer.sign(Buffer.from(prepared.hash, 'base64'));
    return completeXmlSignature(prepared, Buffer.from(signature).toString('base64'), Buffer.from(signer.certificate).toString('base64'));
  });
}

async function xmlsec(xml: string): Promise<{ code: number; out: string }> {
  const file = join(card.dir, `return-${Math.random()}.xml`);
  await writeFile(file, xml);
  return peer('xmlsec1', ['--verify', '--id-attr:id', `${NS}:RSH0010`, '--trusted-pem', card.caFile, file]);
}

beforeAll(async () => {
  card = await makeDocumentSigner();
  signed = await signDetached(unsigned, 'RSH0010');
}, 120_000); // card creation makes RSA keys: slow on a loaded machine

describe('the e-Tax internal detached layout', () => {
  it('puts one Signature right after the procedure element inside DATA, with Reference URI="#RSH0010", C14N 1.0, rsa-sha256, sha256 and the certificate', () => {
    expect(signed).toMatch(/<\/RSH0010><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/);
    expect(signed).toContain('<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>');
    expect(signed).toContain('<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
    expect(signed).toContain('<Reference URI="#RSH0010">');
    expect(signed).toContain('<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>');
    expect(signed).toMatch(/<KeyInfo><X509Data><X509Certificate>[A-Za-z0-9+/=]+<\/X509Certificate><\/X509Data><\/KeyInfo><\/Signature>\n<\/DATA>$/);
  });

  it('is verified by xmlsec1 with the development CA as the trusted root', async () => {
    const { code, out } = await xmlsec(signed);
    expect(out).toMatch(/^OK/m);
    expect(code).toBe(0);
  });

  it('is verified by our verifier, which returns the signed element and the certificate for the trust check', async () => {
    const result = verifyDetachedXmlSignature(signed);
    expect(result).toMatchObject({ valid: true, reason: null, certificate: card.state.sign!.certificate });
    expect(result.signedReferences[0]).toContain('<Income currency="JPY">5000000</Income>');
    const trust = await card.verifier.checkCertificate(result.certificate!, 'sign');
    expect(trust.certificate.der.toString('base64')).toBe(card.state.sign!.certificate);
  });

  it('fails xmlsec1 and our verifier after one changed byte of the signed element', async () => {
    const tampered = signed.replace('5000000', '5000001');
    const peerResult = await xmlsec(tampered);
    expect(peerResult.code).not.toBe(0);
    expect(peerResult.out).toMatch(/FAIL/);
    expect(verifyDetachedXmlSignature(tampered)).toMatchObject({ valid: false, reason: 'the element does not match the signed digest' });
  });

  it('refuses the wrapping variants: a second element with the same id, the Signature moved away from its element, or into it', () => {
    const duplicate = signed.replace('<DATA xmlns', '<DATA xmlns').replace('\n<RSH0010', '\n<Other id="RSH0010"/><RSH0010');
    expect(verifyDetachedXmlSignature(duplicate)).toMatchObject({ valid: false, reason: 'id="RSH0010" is not unique in the document' });
    const [before, signature] = signed.split(/(?=<Signature )/);
    const moved = before!.replace('\n<RSH0010', `\n${signature!.replace('\n</DATA>', '')}<RSH0010`) + '\n</DATA>';
    expect(verifyDetachedXmlSignature(moved)).toMatchObject({
      valid: false,
      reason: 'the element right before the Signature is not the one with id="RSH0010"',
    });
    const inside = signed.replace('</RSH0010><Signature', '<Signature').replace('</Signature>', '</Signature></RSH0010>');
    expect(verifyDetachedXmlSignature(inside)).toMatchObject({ valid: false, reason: 'the Signature is not a child of the root (DATA)' });
  });

  it('prepares nothing for an id no child of the root holds, nor for an id that is not a plain name', () => {
    expect(() => prepareDetachedXmlSignature(unsigned, 'NOPE')).toThrow(/no child of the root has id="NOPE"/);
    expect(() => prepareDetachedXmlSignature(unsigned, "x'] | //*[@id='y")).toThrow(/not an id/);
  });
});
