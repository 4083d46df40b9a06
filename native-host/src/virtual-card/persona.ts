/** Persona defaults and date arithmetic of JPKI certificate validity (docs/ARCHITECTURE.md § 1, docs/virtual-card.md). */
import type { JpkiSex } from '@jpki-bridge/shared/jpki-certificate';
import type { Persona, PersonaKind } from './state.ts';

export interface PersonaOptions {
  persona?: PersonaKind;
  name?: string;
  birth?: string;
  address?: string;
  sex?: JpkiSex;
  now?: Date;
}

const DEFAULT_NAME = 'デジタル 太郎';
const DEFAULT_ADDRESS = '東京都千代田区霞が関2-1-2';
const DEFAULT_ADULT_BIRTH = '1985-04-01';

/** Fills in defaults. `expired` is issued six years ago so its 5th-birthday expiry has passed. */
export function makePersona(options: PersonaOptions = {}): Persona {
  const kind = options.persona ?? 'adult';
  const now = options.now ?? new Date();
  const birth = options.birth ?? (kind === 'minor' ? isoDate(addYears(now, -10)) : DEFAULT_ADULT_BIRTH);
  parseIsoDate(birth);
  if (kind === 'minor' && ageOn(birth, now) >= 15) throw new RangeError('a minor persona must be under 15');
  if (kind !== 'minor' && ageOn(birth, now) < 15) throw new RangeError(`an ${kind} persona must be 15 or older`);
  const sex = options.sex ?? '1';
  if (!['1', '2', '9'].includes(sex)) throw new RangeError('sex must be 1, 2 or 9');
  const issued = kind === 'expired' ? addYears(now, -6) : now;
  return {
    kind,
    name: options.name ?? DEFAULT_NAME,
    birth,
    address: options.address ?? DEFAULT_ADDRESS,
    sex,
    issued: issued.toISOString(),
  };
}

/**
 * The 5th birthday strictly after the day of issuance, at 23:59:59 JST (14:59:59Z), which is how JPKI
 * certificates end. A 29 February birthday falls on 28 February in common years.
 */
export function fifthBirthdayAfter(birth: string, issued: Date): Date {
  const { month, day } = parseIsoDate(birth);
  // Dates are Japanese calendar days: a birthday on the day of issuance does not count.
  const jst = new Date(issued.getTime() + 9 * 3600_000);
  const endOfIssueDay = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), jst.getUTCDate(), 14, 59, 59);
  let count = 0;
  for (let year = jst.getUTCFullYear(); ; year++) {
    const end = new Date(Date.UTC(year, month - 1, clampDay(year, month, day), 14, 59, 59));
    if (end.getTime() > endOfIssueDay && ++count === 5) return end;
  }
}

export function ageOn(birth: string, at: Date): number {
  const { year, month, day } = parseIsoDate(birth);
  let age = at.getUTCFullYear() - year;
  const beforeBirthday = at.getUTCMonth() + 1 < month || (at.getUTCMonth() + 1 === month && at.getUTCDate() < day);
  if (beforeBirthday) age--;
  return age;
}

export function parseIsoDate(value: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    throw new RangeError(`birth must be a date YYYY-MM-DD, got ${value}`);
  }
  return { year, month, day };
}

export function addYears(date: Date, years: number): Date {
  const out = new Date(date);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function clampDay(year: number, month: number, day: number): number {
  return Math.min(day, daysIn(year, month));
}
