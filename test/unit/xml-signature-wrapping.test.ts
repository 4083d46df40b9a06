/**
 * Issue 19, findings 1, 3 and 4: namespace and attribute floods, signature wrapping that
 * verifyXmlSignature used to accept, and prepareXmlSignature's order of work. Times are in the bench
 * (test/bench/xml.bench.ts); the bounds here are generous sanity limits, not targets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { buildDigestInfo } from '@jpki-bridge/shared';
import { completeXmlSignature, prepareXmlSignature, verifyXmlSignature, XmlSignatureError } from '../../relying-party/src/index.ts';
import { C14N, ENVELOPED } from '../../relying-party/src/xml/algorithms.ts';
import { canonicalizeElement, inheritedNamespaces } from '../../relying-party/src/xml/canonicalize.ts';
import { parseStrictXml } from '../../relying-party/src/xml/strict-parse.ts';
import { findAncestorNsForElement } from 'xml-crypto/lib/utils';
import { sharedTestPki, signDigestInfo, type TestPki } from './verifier-fixtures.ts';
import { forgedSignature, signWith } from './xml-fixtures.ts';

const SANITY_MS = 5_000;
let pki: TestPki;
beforeAll(async () => {
  pki = await sharedTestPki();
});

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

/** The document: `count` `xmlns:pX` declarations on the root. */
function namespaceFlood(count: number): string {
  return `<Return ${Array.from({ length: count }, (_, i) => `xmlns:p${i.toString(36)}="u:x"`).join(' ')}><Income>1</Income></Return>`;
}

describe('namespace and attribute floods (finding 1)', () => {
  it('refuses 50 000 namespace declarations on the root (~900 KB) with a forged signature, before parsing', () => {
    const forged = namespaceFlood(50_000).replace('</Return>', `${forgedSignature(pki.sign.certificate)}</Return>`);
    const { result, ms } = timed(() => verifyXmlSignature(forged));
    expect(result).toMatchObject({ valid: false, reason: expect.stringMatching(/more than 64 attributes/) });
    expect(ms).toBeLessThan(SANITY_MS);
  });

  it('refuses to prepare the flood', () => {
    expect(() => prepareXmlSignature(namespaceFlood(50_000))).toThrow(/more than 63 attributes/);
  });

  it('computes the inherited namespaces of SignedInfo as xml-crypto does (nearest wins, undeclarations and own prefixes dropped)', () => {
    const document = parseStrictXml(
      '<a xmlns="urn:d" xmlns:p="urn:outer" xmlns:q="urn:q" xmlns:s="urn:s"><b xmlns:p="urn:inner" xmlns:q=""><ds:c xmlns:ds="urn:ds" xmlns:s="urn:s2"/></b></a>',
    );
    const c = document.getElementsByTagName('ds:c')[0]!;
    const sorted = (list: { prefix: string; namespaceURI: string }[]) => [...list].sort((x, y) => x.prefix.localeCompare(y.prefix));
    expect(sorted(inheritedNamespaces(c))).toEqual(sorted(findAncestorNsForElement(c as never)));
    expect(sorted(inheritedNamespaces(c))).toEqual([
      { prefix: '', namespaceURI: 'urn:d' },
      { prefix: 'p', namespaceURI: 'urn:inner' },
    ]);
    expect(canonicalizeElement(C14N, c)).toBe('<ds:c xmlns="urn:d" xmlns:ds="urn:ds" xmlns:p="urn:inner" xmlns:s="urn:s2"></ds:c>');
  });

  it('still verifies inclusive c14n on the reference with the most namespace declarations the bounds admit', () => {
    const declarations = Array.from({ length: 31 }, (_, i) => `xmlns:p${i}="urn:p${i}"`).join(' ');
    const nested = Array.from({ length: 3 }, (_, i) => `<p${i}:Part xmlns:x${i}="urn:x${i}">${i}</p${i}:Part>`).join('');
    const signed = signWith(pki.sign, `<Return ${declarations}>${nested}</Return>`, { canonicalizationAlgorithm: C14N, transforms: [ENVELOPED, C14N] });
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: true, reason: null });
  });
});

describe('nothing a whole-document enveloped signature never needs (finding 3)', () => {
  const original = '<Return><Year>2025</Year><Amount>1000</Amount></Return>';
  const signed = () => signWith(pki.sign, original);

  it('accepts the signed document and returns the DOM it digested', () => {
    const result = verifyXmlSignature(signed());
    expect(result).toMatchObject({ valid: true });
    expect(result.signedDocument!.getElementsByTagName('Amount')[0]!.textContent).toBe('1000');
    expect(result.signedDocument!.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').length).toBe(0);
  });

  it.each([
    [
      'a ds:Object inside the Signature',
      (xml: string) => xml.replace('</Signature>', '<Object><Amount>9999999</Amount></Object></Signature>'),
      /only SignedInfo, SignatureValue and KeyInfo/,
    ],
    [
      'a foreign element inside the Signature',
      (xml: string) => xml.replace('</Signature>', '<Amount xmlns="">9999999</Amount></Signature>'),
      /only SignedInfo, SignatureValue and KeyInfo/,
    ],
    ['text inside the Signature', (xml: string) => xml.replace('</Signature>', '9999999</Signature>'), /the Signature holds text/],
    [
      'the Signature moved first',
      (xml: string) => {
        const signature = /<Signature[\s\S]*<\/Signature>/.exec(xml)![0];
        return xml.replace(signature, '').replace('<Return>', `<Return>${signature}`);
      },
      /not the last element/,
    ],
    ['a processing instruction before the root', (xml: string) => `<?amount 9999999?>${xml}`, /outside its document element/],
    ['a comment after the root', (xml: string) => `${xml}<!--9999999-->`, /outside its document element/],
    [
      'a processing instruction inside the root, which c14n renders as text',
      (xml: string) => xml.replace('<Amount>1000</Amount>', '<Amount>1000<?x 0?></Amount>'),
      /processing instruction/,
    ],
  ])('refuses %s', (_name, tamper, reason) => {
    expect(verifyXmlSignature(tamper(signed()))).toMatchObject({ valid: false, signedDocument: null, reason: expect.stringMatching(reason) });
  });

  it('refuses a PI that digests the same as the text it splits (the forged "10000" signed as "1000" + PI "0")', () => {
    const withPi = signWith(pki.sign, '<Return><Amount>1000<?x 0?></Amount></Return>');
    expect(verifyXmlSignature(withPi)).toMatchObject({ valid: false, reason: expect.stringMatching(/processing instruction/) });
  });

  it('accepts an XML declaration and whitespace around the root', () => {
    expect(verifyXmlSignature(`<?xml version="1.0" encoding="UTF-8"?>\n${signed()}\n`)).toMatchObject({ valid: true });
  });
});

describe('prepareXmlSignature checks first and types every failure (finding 4)', () => {
  it('refuses a 5 MB document before signing it', () => {
    const { ms } = timed(() => expect(() => prepareXmlSignature(`<Return>${'<i>1</i>'.repeat(700_000)}</Return>`)).toThrow(XmlSignatureError));
    expect(ms).toBeLessThan(SANITY_MS);
  });

  it('refuses a 5 000-deep document with XmlSignatureError, not a stack overflow', () => {
    expect(() => prepareXmlSignature(`${'<a>'.repeat(5_000)}${'</a>'.repeat(5_000)}`)).toThrow(XmlSignatureError);
  });

  it.each([
    ['not well-formed', '<Return><a></Return>'],
    ['a parser warning (unquoted attribute)', '<Return a=1/>'],
    ['a DOCTYPE', '<!DOCTYPE Return><Return/>'],
    ['a processing instruction', '<Return><?x y?></Return>'],
    ['not a string', null],
  ])('refuses %s with XmlSignatureError', (_name, xml) => {
    expect(() => prepareXmlSignature(xml as string)).toThrow(XmlSignatureError);
  });
});

describe('prepareXmlSignature without SignedXml', () => {
  it.each([
    ['a default namespace and prefixes', '<?xml version="1.0"?>\n<r:Return xmlns:r="urn:r" xmlns="urn:d"><Income a="1">5</Income><!-- c --></r:Return>\n'],
    ['an empty, self-closing document element', '<Return year="2025"/>'],
  ])('prepares %s into a document xml-crypto verifies and the input bytes unchanged around the Signature', (_name, xml) => {
    const prepared = prepareXmlSignature(xml);
    const signed = completeXmlSignature(
      prepared,
      signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.from(prepared.hash, 'base64'))),
      pki.sign.certificate,
    );
    expect(verifyXmlSignature(signed)).toMatchObject({ valid: true });
    const checker = new SignedXml({ publicCert: pki.sign.pem });
    checker.loadSignature(/<Signature[\s\S]*<\/Signature>/.exec(signed)![0]);
    expect(checker.checkSignature(signed)).toBe(true);
    expect(signed.replace(/<Signature[\s\S]*<\/Signature>/, '')).toBe(xml.includes('/>') ? xml.replace('/>', '></Return>') : xml);
  });
});
