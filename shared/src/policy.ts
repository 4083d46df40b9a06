/**
 * The law of the card (DESIGN §5) as data. Both the extension and the host consult this table;
 * the host checks it again whatever the extension says.
 */
import { EF } from './card.ts';

export type PinKind = 'auth' | 'sign';

export interface KeyPolicy {
  kind: PinKind;
  keyEf: string;
  pinEf: string;
  certificateEf: string;
  caCertificateEf: string;
  /** Consecutive misses after which the card locks the PIN. */
  maxTries: number;
  /** Japanese and English names of the certificate, for dialogs. */
  label: { ja: string; en: string };
  /** How the PIN looks, for dialogs. */
  pinHint: { ja: string; en: string };
}

export const POLICY: Record<PinKind, KeyPolicy> = {
  auth: {
    kind: 'auth',
    keyEf: EF.authKey,
    pinEf: EF.authPin,
    certificateEf: EF.authCertificate,
    caCertificateEf: EF.authCaCertificate,
    maxTries: 3,
    label: { ja: '利用者証明用電子証明書', en: 'user authentication certificate' },
    pinHint: { ja: '利用者証明用暗証番号 (数字4桁)', en: 'authentication PIN (4 digits)' },
  },
  sign: {
    kind: 'sign',
    keyEf: EF.signKey,
    pinEf: EF.signPin,
    certificateEf: EF.signCertificate,
    caCertificateEf: EF.signCaCertificate,
    maxTries: 5,
    label: { ja: '署名用電子証明書', en: 'digital signature certificate' },
    pinHint: {
      ja: '署名用パスワード (英大文字と数字を含む6〜16文字)',
      en: 'signing password (6–16 characters, A–Z and 0–9, at least one of each)',
    },
  },
};

/** Every operation that needs a PIN, and which key it uses. Nothing else may use a key. */
export const USE_KIND = {
  authenticate: 'auth',
  'portal-login': 'auth',
  sign: 'sign',
  'get-signing-certificate': 'sign',
  'portal-sign': 'sign',
} as const satisfies Record<string, PinKind>;

export type PinUse = keyof typeof USE_KIND;

export function kindForUse(use: PinUse): PinKind {
  return USE_KIND[use];
}
