/**
 * Facts about JPKI end-entity certificates that both the virtual card (which issues them) and the
 * verifier (which reads them) need. Pure: no Node, no DOM.
 *
 * The personal-data OIDs are J-LIS's. The development CA's certificate policy OIDs are its own,
 * never a J-LIS arc: a verifier configured for production certificates refuses a virtual card's
 * certificate by policy, whatever roots it trusts.
 */

/**
 * subjectAltName otherName type-ids carrying the personal data of the signing certificate; the
 * two `…Substitutes` hold one digit per character, 1 where a character had no code point and was
 * substituted (so the text differs from the resident register).
 */
export const JPKI_SAN_OID = {
  name: '1.2.392.200149.8.5.5.1',
  nameSubstitutes: '1.2.392.200149.8.5.5.2',
  sex: '1.2.392.200149.8.5.5.3',
  dateOfBirth: '1.2.392.200149.8.5.5.4',
  address: '1.2.392.200149.8.5.5.5',
  addressSubstitutes: '1.2.392.200149.8.5.5.6',
} as const;

/** certificatePolicies of real (production) JPKI certificates, as J-LIS's cards carry them. */
export const JPKI_POLICY_OID = {
  auth: '1.2.392.200149.8.5.1.3.30',
  sign: '1.2.392.200149.8.5.1.1.20',
} as const;

/**
 * certificatePolicies of the development CA's certificates: under IANA's enterprise number for
 * examples and documentation (32473, RFC 5612), which no production CA uses, ending like J-LIS's
 * (.30 authentication, .20 signing) for readability. (A UUID arc, 2.25.<128-bit integer>, would
 * not do: node-forge, which issues them, encodes arcs of at most 32 bits.)
 */
const DEV_ARC = '1.3.6.1.4.1.32473.8.5.1';
export const DEV_POLICY_OID = {
  auth: `${DEV_ARC}.30`,
  sign: `${DEV_ARC}.20`,
} as const;

/** The signing policy arc of J-LIS's test cards (their authentication certificates carry the production arc). */
export const JLIS_TEST_SIGN_POLICY_OID = '1.2.392.200149.8.5.1.0.20';

/** Sex as the signing certificate carries it: 1 male, 2 female, 9 not applicable (ISO/IEC 5218 style). */
export type JpkiSex = '1' | '2' | '9';

/**
 * Japanese eras by their first day, newest first: the era code is the first digit of the date
 * of birth in a JPKI signing certificate (1 明治, 2 大正, 3 昭和, 4 平成, 5 令和).
 */
const ERAS: readonly (readonly [code: string, firstDay: string])[] = [
  ['5', '2019-05-01'],
  ['4', '1989-01-08'],
  ['3', '1926-12-25'],
  ['2', '1912-07-30'],
  ['1', '1868-01-25'],
];

/**
 * The signing certificate's date of birth, `EYYYYMMDD`: E is the era code of the date (as on real cards) and YYYYMMDD is the
 * Gregorian date — not the year within the era. A date before 明治 gets E = 0 (unknown).
 */
export function encodeBirthDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`date of birth must be YYYY-MM-DD, got ${isoDate}`);
  const era = ERAS.find(([, firstDay]) => isoDate >= firstDay)?.[0] ?? '0';
  return `${era}${match[1]}${match[2]}${match[3]}`;
}

/** `EYYYYMMDD` → `YYYY-MM-DD` (the era digit is not needed for the Gregorian date), or null. */
export function decodeBirthDate(value: string): string | null {
  const match = /^[0-5](\d{4})(\d{2})(\d{2})$/.exec(value);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}
