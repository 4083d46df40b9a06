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
  /** 申告者: the filer's name and address as the card face holds them (filled by `launchApp` mode 04), when given. */
  filer?: { name: string; address: string };
}

export class TaxReturnError extends Error {}

export const ETAX_DEMO_NS = 'urn:jpki-bridge:demo:etax:1';

const MAX_YEN = 1e12;
/** A card face's name or address is far shorter; this bounds what the form may send. */
const MAX_FILER_TEXT = 200;

export function validateTaxReturn(input: Record<string, unknown>): TaxReturnInput {
  const returnName = typeof input.returnName === 'string' ? input.returnName.trim() : '';
  if (returnName.length === 0 || returnName.length > 100) throw new TaxReturnError('returnName: 1–100 characters');
  const integer = (name: string, min: number, max: number): number => {
    const value = Number(input[name]);
    if (!Number.isInteger(value) || value < min || value > max) throw new TaxReturnError(`${name}: an integer ${min}–${max}`);
    return value;
  };
  const text = (name: string): string => {
    const value = typeof input[name] === 'string' ? (input[name] as string).trim() : '';
    if (value.length > MAX_FILER_TEXT) throw new TaxReturnError(`${name}: at most ${MAX_FILER_TEXT} characters`);
    return value;
  };
  const filerName = text('filerName');
  const filerAddress = text('filerAddress');
  if ((filerName === '') !== (filerAddress === '')) throw new TaxReturnError('filerName and filerAddress: both or neither');
  return {
    returnName,
    year: integer('year', 2000, 2100),
    income: integer('income', 0, MAX_YEN),
    deductions: integer('deductions', 0, MAX_YEN),
    ...(filerName ? { filer: { name: filerName, address: filerAddress } } : {}),
  };
}

/** The return as one document (the enveloped layout signs it whole). */
export function buildTaxReturnXml(input: TaxReturnInput, id: string, createdAt: Date): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', taxReturnElement(input, id, createdAt, ` xmlns="${ETAX_DEMO_NS}"`)].join('\n');
}

/**
 * The return as e-Tax lays out a filing: the procedure element inside `DATA`, its `id` the one a
 * detached signature references (prepareDetachedXmlSignature(xml, elementId)).
 */
export function buildTaxFilingXml(input: TaxReturnInput, id: string, createdAt: Date): { xml: string; elementId: string } {
  // An XML id must not start with a digit, as a UUID may.
  const elementId = `TaxReturn-${id}`;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<DATA xmlns="${ETAX_DEMO_NS}" id="DATA">`,
    taxReturnElement(input, elementId, createdAt, ''),
    '</DATA>',
  ].join('\n');
  return { xml, elementId };
}

function taxReturnElement(input: TaxReturnInput, id: string, createdAt: Date, namespace: string): string {
  const taxable = Math.max(0, input.income - input.deductions);
  return [
    `<TaxReturn${namespace} id="${escapeXml(id)}">`,
    `<Name>${escapeXml(input.returnName)}</Name>`,
    ...(input.filer ? [`<Filer><FilerName>${escapeXml(input.filer.name)}</FilerName><Address>${escapeXml(input.filer.address)}</Address></Filer>`] : []),
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
