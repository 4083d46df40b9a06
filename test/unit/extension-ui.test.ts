/** Dialog validation, translations, locales and the certificate validity reader. */
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_MESSAGES } from '@jpki-bridge/shared/errors';
import { OPERATION_ROWS } from '@jpki-bridge/shared/operations';
import { PIN_PROBLEMS } from '@jpki-bridge/shared/pin';
import { problemKey, viewPinInput } from '../../extension/src/dialog/pin-input.ts';
import { format, makeTranslator, primaryLang, type Messages } from '../../extension/src/ui/translate.ts';
import { certificateValidity, renewalState } from '../../extension/src/lib/certificate-validity.ts';
import { diagnostics } from '../../extension/src/popup/diagnostics.ts';

const locale = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../extension/public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Messages;

describe('viewPinInput (the dialog as the user types)', () => {
  it('upper-cases the signing PIN and enables submit only when the rule holds', () => {
    expect(viewPinInput('sign', 'abc12', 'enter', false)).toEqual({ value: 'ABC12', problem: 'sign-too-short', canSubmit: false });
    // Only a–z are upper-cased: a letter that toUpperCase() maps into A–Z stays itself and is refused.
    expect(viewPinInput('sign', 'ſ12345', 'enter', false)).toEqual({ value: 'ſ12345', problem: 'sign-bad-character', canSubmit: false });
    expect(viewPinInput('sign', 'abc123', 'enter', false)).toEqual({ value: 'ABC123', problem: null, canSubmit: true });
    expect(viewPinInput('sign', 'abcdef', 'enter', false)).toMatchObject({ problem: 'sign-needs-digit', canSubmit: false });
    expect(viewPinInput('sign', '123456', 'enter', false)).toMatchObject({ problem: 'sign-needs-letter', canSubmit: false });
    expect(viewPinInput('sign', 'abc-123', 'enter', false)).toMatchObject({ problem: 'sign-bad-character', canSubmit: false });
  });
  it('the authentication PIN needs exactly 4 digits', () => {
    expect(viewPinInput('auth', '123', 'enter', false)).toMatchObject({ problem: 'auth-not-4-digits', canSubmit: false });
    expect(viewPinInput('auth', '12a4', 'enter', false)).toMatchObject({ problem: 'auth-not-4-digits', canSubmit: false });
    expect(viewPinInput('auth', '1234', 'enter', false)).toMatchObject({ problem: null, canSubmit: true });
    expect(viewPinInput('auth', '12345', 'enter', false).value).toBe('1234');
  });
  it('an empty field shows no problem yet and cannot be submitted', () => {
    expect(viewPinInput('auth', '', 'enter', false)).toEqual({ value: '', problem: null, canSubmit: false });
  });
  it('on the last try submit needs the explicit confirmation', () => {
    expect(viewPinInput('auth', '1234', 'confirm-last-try', false).canSubmit).toBe(false);
    expect(viewPinInput('auth', '1234', 'confirm-last-try', true).canSubmit).toBe(true);
  });
  it('nothing can be submitted when locked', () => {
    expect(viewPinInput('auth', '1234', 'locked', true).canSubmit).toBe(false);
  });
});

describe('locales', () => {
  const ja = locale('ja');
  const en = locale('en');
  it('ja and en have the same keys', () => expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort()));
  it('every error code has in both exactly its text of shared/src/errors.ts (the one source), and every PIN problem a message', () => {
    for (const code of ERROR_CODES) {
      expect(ja[`error_${code}`]?.message, `${code}: copy its ja text from shared/src/errors.ts`).toBe(ERROR_MESSAGES[code].ja);
      expect(en[`error_${code}`]?.message, `${code}: copy its en text from shared/src/errors.ts`).toBe(ERROR_MESSAGES[code].en);
    }
    expect(Object.keys(ja).filter((key) => key.startsWith('error_ERR_')).length, 'no error text for a code that does not exist').toBe(ERROR_CODES.length);
    for (const problem of PIN_PROBLEMS) expect(ja[problemKey(problem)]?.message).toBeTruthy();
  });
  it('every verb the PIN dialog asks for has its wording in both', () => {
    for (const row of Object.values(OPERATION_ROWS)) {
      if (!row.wording) continue;
      for (const key of [`use${row.wording}Title`, `use${row.wording}Body`]) {
        expect(ja[key]?.message, key).toBeTruthy();
        expect(en[key]?.message, key).toBeTruthy();
      }
    }
  });
  it('the manifest name and description are localized', () => {
    for (const m of [ja, en]) expect(m.extName?.message && m.extDescription?.message).toBeTruthy();
  });
  it('the signing dialog names the personal data given to the site', () => {
    expect(ja.personalDataWarning?.message).toMatch(/氏名.*住所.*生年月日.*性別/);
  });
});

describe('translate', () => {
  it('picks the first preferred language we have, else Japanese (the default locale)', () => {
    expect(primaryLang(['en-US'])).toBe('en');
    expect(primaryLang(['ja', 'en-US'])).toBe('ja');
    expect(primaryLang(['fr', 'en-GB', 'ja'])).toBe('en');
    expect(primaryLang(['fr'])).toBe('ja');
    expect(primaryLang([])).toBe('ja');
  });
  it('substitutes {placeholders} and shows the other language alongside', () => {
    expect(format('残り {count} 回', { count: 2 })).toBe('残り 2 回');
    const t = makeTranslator('ja', { ja: locale('ja'), en: locale('en') });
    expect(t.t('wrongPin', { count: 2 })).toBe('暗証番号が違います。残り 2 回です。');
    expect(t.alt('wrongPin', { count: 2 })).toBe('Wrong PIN. Tries left: 2.');
  });
});

describe('certificate validity (DER reader)', () => {
  const makeCert = (notBefore: Date, notAfter: Date) => {
    const keys = forge.pki.rsa.generateKeyPair(512);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = notBefore;
    cert.validity.notAfter = notAfter;
    cert.setSubject([{ name: 'commonName', value: 'x' }]);
    cert.setIssuer([{ name: 'commonName', value: 'x' }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    return Uint8Array.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), (c) => c.charCodeAt(0));
  };
  it('reads notBefore/notAfter (UTCTime and GeneralizedTime)', () => {
    const a = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    const b = new Date(Date.UTC(2051, 5, 6, 7, 8, 9)); // ≥ 2050 is GeneralizedTime
    const v = certificateValidity(makeCert(a, b));
    expect(v.notBefore.toISOString()).toBe(a.toISOString());
    expect(v.notAfter.toISOString()).toBe(b.toISOString());
  });
  it('throws on garbage rather than inventing a date', () => {
    expect(() => certificateValidity(Uint8Array.from([0x30, 0x82, 0xff]))).toThrow();
  });
  it('renewal opens 3 months before the end of validity', () => {
    const end = new Date(Date.UTC(2030, 5, 30));
    expect(renewalState(end, new Date(Date.UTC(2030, 2, 29)))).toBe('not-yet');
    expect(renewalState(end, new Date(Date.UTC(2030, 2, 30)))).toBe('open');
    expect(renewalState(end, new Date(Date.UTC(2030, 6, 1)))).toBe('expired');
  });
});

describe('diagnostics', () => {
  it('carries versions and readers but no certificate', () => {
    const text = diagnostics(
      {
        extensionVersion: '0.1.0',
        hostVersion: '0.1.0',
        version: '0.1.0',
        readers: [{ name: 'Virtual PCD 00 00', cardPresent: true, jpki: true }],
        card: { type: 'jpki', authCertificate: 'MIIsecretcert', hasSigningCertificate: true, retries: { auth: 3, sign: 5, text: 3 } },
      },
      null,
      'UA',
    );
    expect(JSON.parse(text).readers).toEqual([{ name: 'Virtual PCD 00 00', cardPresent: true, jpki: true }]);
    expect(text).not.toContain('MIIsecretcert');
  });
});
