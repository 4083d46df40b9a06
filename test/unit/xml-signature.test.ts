import { beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { buildDigestInfo } from '@jpki-bridge/shared';
import { buildTaxReturnXml, validateTaxReturn } from '../../demo/etax-document.ts';
import { completeXmlSignature, prepareXmlSignature, verifyXmlSignature, XmlSignatureError } from '../../relying-party/src/index.ts';
import { sharedTestPki, signDigestInfo, type TestPki } from './verifier-fixtures.ts';
import { signWith } from './xml-fixtures.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await sharedTestPki();
});

const document = () =>
  buildTaxReturnXml(
    validateTaxReturn({ returnName: '所得税及び復興特別所得税の確定申告書 <テスト> & 控え', year: 2025, income: 5_000_000, deductions: 1_200_000 }),
    'return-1',
    new Date(Date.UTC(2026, 2, 1)),
  );

/** What the page + card do: sign([hash], 'SHA-256') signs DigestInfo(hash). */
function cardSigns(hashBase64: string, leaf = pki.sign): string {
  return signDigestInfo(leaf, buildDigestInfo('SHA-256', Buffer.from(hashBase64, 'base64')));
}

describe('XML signature (enveloped XMLDSig, rsa-sha256, exc-c14n)', () => {
  it('prepares a SignedInfo whose SHA-256 is the hash the card signs', () => {
    const prepared = prepareXmlSignature(document());
    expect(prepared.signedInfo).toContain('<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">');
    expect(prepared.signedInfo).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(prepared.signedInfo).toContain('http://www.w3.org/2000/09/xmldsig#enveloped-signature');
    expect(prepared.signedInfo).toContain('http://www.w3.org/2001/10/xml-exc-c14n#');
    expect(Buffer.from(prepared.hash, 'base64')).toHaveLength(32);
    expect(prepared.xml).toContain(prepared.placeholder);
  });

  it('completes into a document that xml-crypto verifies with the certificate from KeyInfo', () => {
    const prepared = prepareXmlSignature(document());
    const signed = completeXmlSignature(prepared, cardSigns(prepared.hash), pki.sign.certificate);
    expect(signed).not.toContain(prepared.placeholder);
    expect(signed).toContain('<X509Certificate>');

    const result = verifyXmlSignature(signed);
    expect(result.valid).toBe(true);
    expect(result.certificate).toBe(pki.sign.certificate);
    expect(result.signedReferences[0]).toContain('<Income currency="JPY">5000000</Income>');

    // And independently, xml-crypto configured with the PEM alone.
    const checker = new SignedXml({ publicCert: pki.sign.pem });
    const signature = /<Signature[\s\S]*<\/Signature>/.exec(signed)![0];
    checker.loadSignature(signature);
    expect(checker.checkSignature(signed)).toBe(true);
  });

  it('breaks when the signed content is tampered with', () => {
    const prepared = prepareXmlSignature(document());
    const signed = completeXmlSignature(prepared, cardSigns(prepared.hash), pki.sign.certificate);
    const tampered = signed.replace('<Income currency="JPY">5000000</Income>', '<Income currency="JPY">500000</Income>');
    expect(tampered).not.toBe(signed);
    expect(verifyXmlSignature(tampered).valid).toBe(false);
  });

  it('breaks when the SignedInfo is tampered with', () => {
    const prepared = prepareXmlSignature(document());
    const signed = completeXmlSignature(prepared, cardSigns(prepared.hash), pki.sign.certificate);
    const tampered = signed.replace(/<DigestValue>[^<]+<\/DigestValue>/, '<DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</DigestValue>');
    expect(verifyXmlSignature(tampered).valid).toBe(false);
  });

  it('refuses to complete with a signature that is not over the SignedInfo', () => {
    const prepared = prepareXmlSignature(document());
    const other = prepareXmlSignature(document().replace('5000000', '5000001'));
    expect(() => completeXmlSignature(prepared, cardSigns(other.hash), pki.sign.certificate)).toThrow(XmlSignatureError);
    // Another key than the certificate's:
    expect(() => completeXmlSignature(prepared, cardSigns(prepared.hash, pki.auth), pki.sign.certificate)).toThrow(XmlSignatureError);
  });

  it('refuses a signature whose reference covers only part of the document (wrapping)', () => {
    const original = '<Return><Income>5000000</Income><Note Id="n">signed part</Note></Return>';
    const signed = signWith(pki.sign, original, { xpath: "//*[@Id='n']", isEmptyUri: false });
    // xml-crypto alone accepts it: the one reference (#n) is intact…
    const checker = new SignedXml({ publicCert: pki.sign.pem });
    checker.loadSignature(/<Signature[\s\S]*<\/Signature>/.exec(signed)![0]);
    const wrapped = signed.replace('<Income>5000000</Income>', '<Income>1</Income>');
    expect(checker.checkSignature(wrapped)).toBe(true);
    // …but the document a server reads was never signed as a whole.
    expect(verifyXmlSignature(signed).valid).toBe(false);
    expect(verifyXmlSignature(wrapped).valid).toBe(false);
  });

  it("accepts another signer's whole-document enveloped signature", () => {
    const signed = signWith(pki.sign, '<Return><Income>5000000</Income></Return>');
    const result = verifyXmlSignature(signed);
    expect(result.valid).toBe(true);
    expect(result.signedReferences).toEqual(['<Return><Income>5000000</Income></Return>']);
  });

  it('escapes form input into the document', () => {
    expect(document()).toContain('<Name>所得税及び復興特別所得税の確定申告書 &lt;テスト&gt; &amp; 控え</Name>');
    expect(() => validateTaxReturn({ returnName: '', year: 2025, income: 1, deductions: 0 })).toThrow();
    expect(() => validateTaxReturn({ returnName: 'x', year: 2025, income: -1, deductions: 0 })).toThrow();
  });
});
