/**
 * Facts about JPKI end-entity certificates that both the virtual card (which issues them) and the
 * verifier (which reads them) need. Pure: no Node, no DOM.
 *
 * The personal-data OIDs are J-LIS's (DESIGN §8). The certificate policy OIDs are TEST values of
 * this project's development CA, not J-LIS's production policies (see docs/DECISIONS.md).
 */

/** subjectAltName otherName type-ids carrying the personal data of the signing certificate. */
export const JPKI_SAN_OID = {
  name: '1.2.392.200149.8.5.5.1',
  sex: '1.2.392.200149.8.5.5.3',
  dateOfBirth: '1.2.392.200149.8.5.5.4',
  address: '1.2.392.200149.8.5.5.5',
} as const;

/** certificatePolicies of the development CA's certificates (test OIDs). */
export const DEV_POLICY_OID = {
  auth: '1.2.392.200149.8.5.1.3.30',
  sign: '1.2.392.200149.8.5.1.0.20',
} as const;

/** Sex as the signing certificate carries it: 1 male, 2 female, 9 not applicable (ISO/IEC 5218 style). */
export type JpkiSex = '1' | '2' | '9';

/**
 * DESIGN §8 gives the date of birth as `EYYYYMMDD`: one calendar code then the date. The
 * development CA writes E = `1` (Gregorian calendar) and a Gregorian `YYYYMMDD`; a reader should
 * take the last eight digits as the Gregorian date when E is `1`.
 */
export function encodeBirthDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`date of birth must be YYYY-MM-DD, got ${isoDate}`);
  return `1${match[1]}${match[2]}${match[3]}`;
}

/** `1YYYYMMDD` → `YYYY-MM-DD`, or null for any other form. */
export function decodeBirthDate(value: string): string | null {
  const match = /^1(\d{4})(\d{2})(\d{2})$/.exec(value);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}
