/**
 * Issue 10, findings 2, 3 and 8 for XML: the attacks, each against verifyXmlSignature, with
 * xml-crypto alone as the witness where it would have accepted. Times are in the bench
 * (test/bench/xml.bench.ts); the bounds here are generous sanity limits, not targets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SignedXml, type HashAlgorithm, type SignatureAlgorithm } from 'xml-crypto';
import { createHash, createSign, createVerify } from 'node:crypto';
import { C14N, ENVELOPED, EXC_C14N, RSA_SHA256, RSA_SHA384, RSA_SHA512, SHA256, SHA384, SHA512 } from '../../relying-party/src/xml/algorithms.ts';
import { prepareXmlSignature, verifyXmlSignature, XML_LIMITS, XmlSignatureError } from '../../relying-party/src/index.ts';
import { sharedTestPki, type TestPki } from './verifier-fixtures.ts';
import { deepForgedDocument, signWith, wideForgedDocument } from './xml-fixtures.ts';

const SANITY_MS = 5_000;
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';

let pki: TestPki;
beforeAll(async () => {
  pki = await sharedTestPki();
});

/** xml-crypto alone, configured with the signer's certificate: the lenient witness. */
function xmlCryptoAccepts(xml: string): boolean {
  const checker = new SignedXml({ publicCert: pki.sign.pem });
  checker.loadSignature(/<Signature[\s\S]*<\/Signature>/.exec(xml)![0]);
  try {
    return checker.checkSignature(xml);
  } catch {
    return false;
  }
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

describe('an unauthenticated document costs little (finding 2)', () => {
  it('answers a forged signature over a 252 KiB document inside the bounds as invalid, before digesting anything', () => {
    const forged = wideForgedDocument(pki.sign.certificate, 19_000, 14);
    expect(forged.length).toBeGreaterThan(252 * 1024);
    const { result, ms } = timed(() => verifyXmlSignature(forged));
    // Its DigestValue is random too: the reason shows which check ran first.
    expect(result).toMatchObject({ valid: false, reason: expect.stringMatching(/does not verify over SignedInfo/) });
    expect(ms).toBeLessThan(SANITY_MS);
  });

  it('refuses a 252 KiB document of more than 20 000 elements before parsing it', () => {
    const forged = wideForgedDocument(pki.sign.certificate, 33_000, 8);
    expect(forged.length).toBeGreaterThan(252 * 1024);
    const { result, ms } = timed(() => verifyXmlSignature(forged));
    expect(result).toMatchObject({ valid: false, reason: expect.stringMatching(/more than 20000 elements/) });
    expect(ms).toBeLessThan(SANITY_MS);
  });

  it('refuses a 20 000-deep document before parsing it', () => {
    const { result, ms } = timed(() => verifyXmlSignature(deepForgedDocument(pki.sign.certificate, 20_000)));
    expect(result).toMatchObject({ valid: false, reason: expect.stringMatching(/deeper than 64/) });
    expect(ms).toBeLessThan(SANITY_MS);
  });

  it('refuses a document over 1 MiB before parsing it', () => {
    const big = `<Return><Note>${'x'.repeat(XML_LIMITS.maxBytes)}</Note></Return>`;
    expect(verifyXmlSignature(big)).toMatchObject({ valid: false, reason: expect.stringMatching(/larger than 1048576 bytes/) });
  });

  it('still accepts a validly signed document at depth 64', () => {
    const nested = `${'<a>'.repeat(62)}<b>signed</b>${'</a>'.repeat(62)}`; // + the Signature's own depth
    const signed = signWith(pki.sign, nested);
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: true, reason: null });
  });

  it('refuses to prepare a document it could not verify', () => {
    expect(() => prepareXmlSignature(`<Return>${'<i/>'.repeat(XML_LIMITS.maxElements)}</Return>`)).toThrow(XmlSignatureError);
  });
});

describe('one reading of the document (finding 3)', () => {
  const signed = () => signWith(pki.sign, '<Return><Year>2025</Year><Note>&amp;y;</Note><Income currency="JPY">5000000</Income></Return>');

  it('accepts the document as signed', () => {
    expect(verifyXmlSignature(signed())).toMatchObject({ valid: true });
  });

  it('refuses a signed document with an added internal entity that xml-crypto alone accepts', () => {
    // xmldom ignores the declaration and reads "&y;" as text, as signed; an expanding parser reads 9999.
    const withEntity = `<!DOCTYPE Return [<!ENTITY y "9999">]>${signed().replace('<Note>&amp;y;</Note>', '<Note>&y;</Note>')}`;
    expect(xmlCryptoAccepts(withEntity)).toBe(true);
    expect(verifyXmlSignature(withEntity)).toMatchObject({ valid: false, reason: expect.stringMatching(/DOCTYPE/) });
  });

  it('refuses a signed document with an unused DOCTYPE', () => {
    const withDoctype = `<?xml version="1.0"?>\n<!DOCTYPE Return [<!ENTITY unused "x">]>\n${signed()}`;
    expect(verifyXmlSignature(withDoctype)).toMatchObject({ valid: false, reason: expect.stringMatching(/DOCTYPE/) });
  });

  it('refuses a signed document that parses only with a warning (an unquoted attribute value)', () => {
    const unquoted = signed().replace('currency="JPY"', 'currency=JPY');
    expect(xmlCryptoAccepts(unquoted)).toBe(true);
    expect(verifyXmlSignature(unquoted)).toMatchObject({ valid: false, reason: expect.stringMatching(/^warning: /) });
  });

  it('refuses a signed document that parses only with an error (an undeclared entity xmldom keeps as text)', () => {
    const undeclared = signed().replace('<Note>&amp;y;</Note>', '<Note>&y;</Note>');
    expect(xmlCryptoAccepts(undeclared)).toBe(true);
    expect(verifyXmlSignature(undeclared)).toMatchObject({ valid: false, reason: expect.stringMatching(/^error: entity not found/) });
  });
});

/** RSA-SHA384 and SHA-384 for SignedXml, which has neither (another signer's software might). */
class RsaSha384 implements SignatureAlgorithm {
  getSignature(signedInfo: unknown, key: unknown): string {
    return createSign('RSA-SHA384')
      .update(String(signedInfo))
      .sign(key as string, 'base64');
  }
  verifySignature(material: unknown, key: unknown, value: unknown): boolean {
    return createVerify('RSA-SHA384')
      .update(String(material))
      .verify(key as string, String(value), 'base64');
  }
  getAlgorithmName(): string {
    return RSA_SHA384;
  }
}
class Sha384 implements HashAlgorithm {
  getHash(xml: string): string {
    return createHash('sha384').update(xml, 'utf8').digest('base64');
  }
  getAlgorithmName(): string {
    return SHA384;
  }
}
const withSha384 = (signer: SignedXml) => {
  signer.SignatureAlgorithms[RSA_SHA384 as never] = RsaSha384 as never;
  signer.HashAlgorithms[SHA384 as never] = Sha384 as never;
};

describe('algorithms (finding 8)', () => {
  const document = '<Return><Income>5000000</Income></Return>';

  it.each([
    ['rsa-sha256 with sha256', RSA_SHA256, SHA256],
    ['rsa-sha384 with sha384', RSA_SHA384, SHA384],
    ['rsa-sha512 with sha512', RSA_SHA512, SHA512],
  ])('accepts %s', (_name, signatureAlgorithm, digestAlgorithm) => {
    const signed = signWith(pki.sign, document, { signatureAlgorithm, digestAlgorithm, register: withSha384 });
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: true });
  });

  it.each([
    ['rsa-sha1 with sha1', RSA_SHA1, SHA1, /signature method .*rsa-sha1 is not accepted/],
    ['rsa-sha256 with a sha1 digest', RSA_SHA256, SHA1, /digest method .*sha1 does not match/],
    ['rsa-sha256 with a sha512 digest', RSA_SHA256, SHA512, /digest method .*sha512 does not match/],
    ['rsa-sha512 with a sha256 digest', RSA_SHA512, SHA256, /digest method .*sha256 does not match/],
  ])('refuses %s, which xml-crypto alone accepts', (_name, signatureAlgorithm, digestAlgorithm, reason) => {
    const signed = signWith(pki.sign, document, { signatureAlgorithm, digestAlgorithm });
    expect(xmlCryptoAccepts(signed)).toBe(true);
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: false, reason: expect.stringMatching(reason) });
  });

  it('accepts inclusive c14n for SignedInfo and the reference, with namespaces declared on the root', () => {
    const signed = signWith(pki.sign, '<r:Return xmlns:r="urn:example:return" xmlns:x="urn:example:other"><r:Income>1</r:Income></r:Return>', {
      canonicalizationAlgorithm: C14N,
      transforms: [ENVELOPED, C14N],
    });
    expect(xmlCryptoAccepts(signed)).toBe(true);
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: true });
  });

  it('accepts the enveloped-signature transform alone (inclusive c14n implied)', () => {
    expect(verifyXmlSignature(signWith(pki.sign, document, { transforms: [ENVELOPED] }))).toMatchObject({ valid: true });
  });

  it('refuses a canonicalization with comments, where a comment would be signed content', () => {
    const signed = signWith(pki.sign, document, { transforms: [ENVELOPED, `${EXC_C14N}WithComments`] });
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: false, reason: expect.stringMatching(/not "enveloped-signature then one c14n"/) });
  });
});
