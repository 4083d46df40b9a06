/**
 * Just enough PDF syntax (ISO 32000-1 §7.2–7.3) to read the few dictionaries a signature update
 * changes: it skips over any object and splits a dictionary or an array into the raw text of its
 * parts, working on the bytes in place (a 10 MB file is never decoded to a string). Values are
 * kept as written (latin1 text), so a rewritten dictionary carries them over byte for byte.
 * Anything it cannot read is a DOCUMENT_MALFORMED error, never a crash or a loop.
 */
import { VerificationError } from '../verifier/errors.ts';

/** A dictionary as written: its keys (with the slash) and the raw text of each value, in order. */
export type PdfDict = [key: string, value: string][];

const MAX_DEPTH = 64;

export function malformed(message: string): never {
  throw new VerificationError('DOCUMENT_MALFORMED', `the PDF cannot be prepared for signing: ${message}`);
}

const isWhite = (c: number | undefined) => c === 0 || c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
const isDelimiter = (c: number | undefined) =>
  c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/** Past white space and comments. */
export function skipWhite(b: Uint8Array, at: number): number {
  while (at < b.length) {
    if (isWhite(b[at])) at++;
    else if (b[at] === 0x25) while (at < b.length && b[at] !== 10 && b[at] !== 13) at++;
    else break;
  }
  return at;
}

/** The end of a regular token (a number, a keyword) starting at `at`. */
function tokenEnd(b: Uint8Array, at: number): number {
  while (at < b.length && !isWhite(b[at]) && !isDelimiter(b[at])) at++;
  return at;
}

/** The token at `at` (after white space) and where it ends. */
export function readToken(b: Buffer, at: number): { token: string; end: number } {
  const start = skipWhite(b, at);
  const end = tokenEnd(b, start);
  return { token: b.toString('latin1', start, end), end };
}

/** The end (exclusive) of the object starting at or after `at`; `N G R` counts as one object. */
export function skipObject(b: Uint8Array, at: number, depth = 0): number {
  if (depth > MAX_DEPTH) malformed('objects nested too deeply');
  at = skipWhite(b, at);
  if (at >= b.length) malformed('an object runs past the end of its data');
  const c = b[at];
  if (c === 0x3c && b[at + 1] === 0x3c) {
    at += 2;
    for (;;) {
      at = skipWhite(b, at);
      if (b[at] === 0x3e && b[at + 1] === 0x3e) return at + 2;
      if (b[at] !== 0x2f) malformed(`a dictionary key is not a name at byte ${at}`);
      at = skipObject(b, skipObject(b, at, depth + 1), depth + 1);
    }
  }
  if (c === 0x5b) {
    at++;
    for (;;) {
      at = skipWhite(b, at);
      if (b[at] === 0x5d) return at + 1;
      at = skipObject(b, at, depth + 1);
    }
  }
  if (c === 0x3c) {
    const end = indexOfByte(b, 0x3e, at);
    return end + 1;
  }
  if (c === 0x28) return skipLiteralString(b, at);
  if (c === 0x2f) return tokenEnd(b, at + 1);
  if (isDelimiter(c)) malformed(`unexpected "${String.fromCharCode(c!)}" at byte ${at}`);
  const end = tokenEnd(b, at);
  if (isDigit(c)) {
    // An indirect reference: two unsigned integers and R.
    const genStart = skipWhite(b, end);
    const genEnd = tokenEnd(b, genStart);
    if (genEnd > genStart && isAllDigits(b, at, end) && isAllDigits(b, genStart, genEnd)) {
      const r = skipWhite(b, genEnd);
      if (b[r] === 0x52 && tokenEnd(b, r) === r + 1) return r + 1;
    }
  }
  return end;
}

function skipLiteralString(b: Uint8Array, at: number): number {
  let depth = 0;
  for (let i = at; i < b.length; i++) {
    const c = b[i];
    if (c === 0x5c) i++;
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i + 1;
  }
  return malformed('a string runs past the end of its data');
}

function indexOfByte(b: Uint8Array, byte: number, from: number): number {
  const at = b.indexOf(byte, from);
  return at < 0 ? malformed('a string runs past the end of its data') : at;
}

function isAllDigits(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(b[i])) return false;
  return true;
}

/** The dictionary starting at or after `at`, and where it ends. */
export function readDict(b: Buffer, at: number): { dict: PdfDict; end: number } {
  at = skipWhite(b, at);
  if (b[at] !== 0x3c || b[at + 1] !== 0x3c) malformed(`expected a dictionary at byte ${at}`);
  const dict: PdfDict = [];
  at += 2;
  for (;;) {
    at = skipWhite(b, at);
    if (b[at] === 0x3e && b[at + 1] === 0x3e) return { dict, end: at + 2 };
    if (b[at] !== 0x2f) malformed(`a dictionary key is not a name at byte ${at}`);
    const keyEnd = tokenEnd(b, at + 1);
    const valueStart = skipWhite(b, keyEnd);
    const valueEnd = skipObject(b, valueStart, 1);
    dict.push([b.toString('latin1', at, keyEnd), b.toString('latin1', valueStart, valueEnd)]);
    at = valueEnd;
  }
}

/** The raw text of each element of an array written as `[...]`. */
export function arrayItems(text: string): string[] {
  const b = Buffer.from(text, 'latin1');
  const start = skipWhite(b, 0);
  if (b[start] !== 0x5b) malformed(`expected an array, found ${text.slice(0, 40)}`);
  const items: string[] = [];
  for (let at = start + 1; ; ) {
    at = skipWhite(b, at);
    if (b[at] === 0x5d) return items;
    const end = skipObject(b, at, 1);
    items.push(b.toString('latin1', at, end));
    at = end;
  }
}

export function dictGet(dict: PdfDict, key: string): string | undefined {
  return dict.find(([k]) => k === key)?.[1];
}

export function dictSet(dict: PdfDict, key: string, value: string): PdfDict {
  return [...dict.filter(([k]) => k !== key), [key, value]];
}

export function writeDict(dict: PdfDict): string {
  return `<<\n${dict.map(([key, value]) => `${key} ${value}`).join('\n')}\n>>`;
}

/** `N G R` as numbers, or undefined when the value is not a reference. */
export function parseRef(value: string | undefined): { num: number; gen: number } | undefined {
  const match = value === undefined ? null : /^(\d{1,10})\s+(\d{1,5})\s+R$/.exec(value);
  return match ? { num: Number(match[1]), gen: Number(match[2]) } : undefined;
}

/** A non-negative integer value, or undefined. */
export function parseInteger(value: string | undefined): number | undefined {
  return value !== undefined && /^\+?\d{1,15}$/.test(value) ? Number(value) : undefined;
}
