/**
 * The holder's 基本4情報 from a signing certificate's subjectAltName otherName entries.
 * Facts (read off real and J-LIS test cards; see docs/DECISIONS.md):
 *   …8.5.5.1 name (氏名, family and given name separated by an ideographic space)
 *   …8.5.5.2 substitute-character flags of the name, one digit per character
 *   …8.5.5.3 sex: 1 male, 2 female, 3 (J-LIS: unknown) / 9 (JIS X 0303: not applicable)
 *   …8.5.5.4 date of birth `EYYYYMMDD`: E is an era code (1 明治, 2 大正, 3 昭和, 4 平成, 5 令和,
 *            0 unknown) and YYYYMMDD is the GREGORIAN date, not the year within the era
 *   …8.5.5.5 address (住所), no postal code
 *   …8.5.5.6 substitute-character flags of the address
 * The authentication certificate carries none of these.
 */
import { JPKI_SAN_OID } from '@jpki-bridge/shared/jpki-certificate';
import type { ParsedCertificate } from './certificate.ts';

export type Sex = 'male' | 'female' | 'unknown' | 'not-applicable';

export interface Holder {
  name: string | null;
  address: string | null;
  /** ISO `YYYY-MM-DD`. */
  dateOfBirth: string | null;
  /** The certificate's raw date-of-birth value, e.g. `319800217`. */
  dateOfBirthRaw: string | null;
  sex: Sex | null;
  /**
   * True where the name or the address contains a substitute character: the text then differs
   * from the resident register, and a site comparing names must know.
   */
  hasSubstituteCharacters: boolean;
}

const SEX: Record<string, Sex> = { '1': 'male', '2': 'female', '3': 'unknown', '0': 'unknown', '9': 'not-applicable' };

/**
 * `EYYYYMMDD` (era code + Gregorian date) → ISO date. Also accepts a bare Gregorian `YYYYMMDD`
 * and `YYYY-MM-DD`, so that a certificate from another profile still reads. The era digit is not
 * trusted for the year (the date itself is Gregorian); an impossible date yields null.
 */
export function parseJpkiBirthDate(value: string): string | null {
  const match = /^[0-5]?(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return null;
  }
  return `${year}-${month}-${day}`;
}

export function readHolder(certificate: ParsedCertificate): Holder {
  const value = (oid: string) => certificate.otherNames.find((entry) => entry.oid === oid)?.value ?? null;
  const flags = [value(JPKI_SAN_OID.nameSubstitutes), value(JPKI_SAN_OID.addressSubstitutes)];
  const rawBirth = value(JPKI_SAN_OID.dateOfBirth);
  const rawSex = value(JPKI_SAN_OID.sex);
  return {
    name: value(JPKI_SAN_OID.name),
    address: value(JPKI_SAN_OID.address),
    dateOfBirth: rawBirth === null ? null : parseJpkiBirthDate(rawBirth),
    dateOfBirthRaw: rawBirth,
    sex: rawSex === null || !Object.hasOwn(SEX, rawSex.trim()) ? null : SEX[rawSex.trim()]!,
    hasSubstituteCharacters: flags.some((flag) => flag !== null && flag.includes('1')),
  };
}
