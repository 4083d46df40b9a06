/**
 * The demo's e-Tax-like return: a small XML document built from form fields. Not the real e-Tax
 * schema (that is large and versioned); just enough structure to sign and show.
 */

export interface TaxReturnInput {
  /** 申告書の名称, e.g. 所得税及び復興特別所得税の確定申告書. */
  returnName: string;
  /** 年分 (the fiscal year). */
  year: number;
  /** 収入金額, yen. */
  income: number;
  /** 所得控除, yen. */
  deductions: number;
}

export class TaxReturnError extends Error {}

export const ETAX_DEMO_NS = 'urn:jpki-bridge:demo:etax:1';

const MAX_YEN = 1e12;

export function validateTaxReturn(input: Record<string, unknown>): TaxReturnInput {
  const returnName = typeof input.returnName === 'string' ? input.returnName.trim() : '';
  if (returnName.length === 0 || returnName.length > 100) throw new TaxReturnError('returnName: 1–100 characters');
  const integer = (name: string, min: number, max: number): number => {
    const value = Number(input[name]);
    if (!Number.isInteger(value) || value < min || value > max) throw new TaxReturnError(`${name}: an integer ${min}–${max}`);
    return value;
  };
  return {
    returnName,
    year: integer('year', 2000, 2100),
    income: integer('income', 0, MAX_YEN),
    deductions: integer('deductions', 0, MAX_YEN),
  };
}

export function buildTaxReturnXml(input: TaxReturnInput, id: string, createdAt: Date): string {
  const taxable = Math.max(0, input.income - input.deductions);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<TaxReturn xmlns="${ETAX_DEMO_NS}" id="${escapeXml(id)}">`,
    `<Name>${escapeXml(input.returnName)}</Name>`,
    `<Year>${input.year}</Year>`,
    `<Income currency="JPY">${input.income}</Income>`,
    `<Deductions currency="JPY">${input.deductions}</Deductions>`,
    `<TaxableIncome currency="JPY">${taxable}</TaxableIncome>`,
    `<CreatedAt>${createdAt.toISOString()}</CreatedAt>`,
    '</TaxReturn>',
  ].join('\n');
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
