/**
 * Reads a PDF's cross-reference (ISO 32000-1 §7.5.4–7.5.8) from the last `startxref` back along
 * /Prev: classic tables, cross-reference streams (PDF 1.5, Flate with PNG predictors) and hybrid
 * files (/XRefStm); then finds objects by number, whether at a file offset or inside an object
 * stream. Only the few objects a signature update touches are ever read, and only the
 * cross-reference sections and those objects' bytes are looked at: the rest of the file is not.
 */
import { inflateSync } from 'node:zlib';
import { dictGet, malformed, parseInteger, parseRef, readDict, readToken, skipObject, skipWhite, type PdfDict } from './syntax.ts';

type Entry = { offset: number; gen: number } | { objectStream: number; index: number };

export interface CrossReference {
  /** The newest trailer dictionary (of a table, or of the newest cross-reference stream). */
  trailer: PdfDict;
  /** The form of the newest section: the update is written in the same form (ISO 32000-1 §7.5.8.4). */
  kind: 'table' | 'stream';
  /** Where the newest section starts: the update's /Prev. */
  startxref: number;
  /** The trailer's /Size: the update numbers its new objects from here. */
  size: number;
  entries: Map<number, Entry>;
}

/** An object found: its generation and the raw text of its value. */
export interface PdfObject {
  num: number;
  gen: number;
  value: string;
}

const MAX_SECTIONS = 4096;
/** Decompressed size allowed for one stream of the cross-reference or an object stream. */
const MAX_INFLATED = 64 * 1024 * 1024;

export function readCrossReference(pdf: Buffer): CrossReference {
  const at = pdf.lastIndexOf('startxref');
  if (at < 0) malformed('no startxref (not a PDF?)');
  const startxref = parseInteger(readToken(pdf, at + 'startxref'.length).token);
  if (startxref === undefined) malformed('startxref is not followed by an offset');
  const entries = new Map<number, Entry>();
  const pending = [startxref];
  const seen = new Set<number>();
  let newest: { trailer: PdfDict; kind: 'table' | 'stream' } | undefined;
  while (pending.length > 0) {
    const offset = pending.shift()!;
    if (seen.has(offset)) continue;
    if (seen.size >= MAX_SECTIONS) malformed('too many cross-reference sections');
    seen.add(offset);
    const section = readSection(pdf, offset, entries);
    newest ??= section;
    // A hybrid file's /XRefStm is searched before its /Prev (§7.5.8.4).
    const hidden = section.kind === 'table' ? parseInteger(dictGet(section.trailer, '/XRefStm')) : undefined;
    if (hidden !== undefined) pending.push(hidden);
    const prev = dictGet(section.trailer, '/Prev');
    if (prev !== undefined) pending.push(parseInteger(prev) ?? malformed('/Prev is not an offset'));
  }
  const { trailer, kind } = newest!;
  if (dictGet(trailer, '/Encrypt') !== undefined) malformed('the PDF is encrypted (its new objects would have to be encrypted too)');
  const size = parseInteger(dictGet(trailer, '/Size')) ?? malformed('the trailer has no /Size');
  // ISO 32000-1 Annex C: at most 8,388,607 indirect objects; the update numbers its own from /Size.
  if (size > 8_388_607) malformed(`the trailer's /Size ${size} is past the limit of indirect objects`);
  return { trailer, kind, startxref, size, entries };
}

/** Reads one section into `entries` (newer sections are read first: an entry already there wins). */
function readSection(pdf: Buffer, offset: number, entries: Map<number, Entry>): { trailer: PdfDict; kind: 'table' | 'stream' } {
  if (offset >= pdf.length) malformed(`a cross-reference offset (${offset}) is past the end of the file`);
  const start = skipWhite(pdf, offset);
  if (pdf.toString('latin1', start, start + 4) === 'xref') return { trailer: readTable(pdf, start + 4, entries), kind: 'table' };
  const { dict, data } = readStreamObject(pdf, start);
  if (dictGet(dict, '/Type') !== '/XRef') malformed(`no cross-reference at byte ${offset}`);
  readStreamEntries(dict, data, entries);
  return { trailer: dict, kind: 'stream' };
}

function readTable(pdf: Buffer, at: number, entries: Map<number, Entry>): PdfDict {
  for (;;) {
    const first = readToken(pdf, at);
    if (first.token === 'trailer') return readDict(pdf, first.end).dict;
    const count = readToken(pdf, first.end);
    const from = parseInteger(first.token);
    const n = parseInteger(count.token);
    if (from === undefined || n === undefined) malformed(`a cross-reference table is broken near byte ${at}`);
    at = count.end;
    for (let i = 0; i < n; i++) {
      const offset = readToken(pdf, at);
      const gen = readToken(pdf, offset.end);
      const kind = readToken(pdf, gen.end);
      at = kind.end;
      const o = parseInteger(offset.token);
      const g = parseInteger(gen.token);
      if (o === undefined || g === undefined || (kind.token !== 'n' && kind.token !== 'f')) malformed(`a cross-reference entry is broken near byte ${at}`);
      if (kind.token === 'n' && !entries.has(from + i)) entries.set(from + i, { offset: o, gen: g });
    }
  }
}

/** The entries of a cross-reference stream (§7.5.8.3): /W field widths, /Index subsections. */
function readStreamEntries(dict: PdfDict, data: Buffer, entries: Map<number, Entry>): void {
  const widths = numbers(dictGet(dict, '/W'));
  if (widths.length !== 3 || widths.some((w) => w > 8)) malformed('a cross-reference stream has a bad /W');
  const rowLength = widths[0]! + widths[1]! + widths[2]!;
  const size = parseInteger(dictGet(dict, '/Size')) ?? malformed('a cross-reference stream has no /Size');
  const index = dictGet(dict, '/Index') === undefined ? [0, size] : numbers(dictGet(dict, '/Index'));
  if (index.length % 2 !== 0 || rowLength === 0) malformed('a cross-reference stream has a bad /Index');
  let row = 0;
  for (let s = 0; s < index.length; s += 2) {
    for (let i = 0; i < index[s + 1]!; i++, row++) {
      if ((row + 1) * rowLength > data.length) malformed('a cross-reference stream is shorter than its /Index');
      let at = row * rowLength;
      const field = (width: number, otherwise: number) => {
        if (width === 0) return otherwise;
        let value = 0;
        for (let k = 0; k < width; k++) value = value * 256 + data[at++]!;
        return value;
      };
      const type = field(widths[0]!, 1);
      const second = field(widths[1]!, 0);
      const third = field(widths[2]!, 0);
      const num = index[s]! + i;
      if (entries.has(num)) continue;
      if (type === 1) entries.set(num, { offset: second, gen: third });
      else if (type === 2) entries.set(num, { objectStream: second, index: third });
    }
  }
}

function numbers(value: string | undefined): number[] {
  if (value === undefined || !/^\[[\d\s]*\]$/.test(value)) return malformed(`expected an array of integers, found ${value?.slice(0, 40)}`);
  return value
    .slice(1, -1)
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((n) => (Number.isSafeInteger(Number(n)) ? Number(n) : malformed(`${n} is out of range`)));
}

/** Finds objects by number; object streams are decoded once each. */
export class ObjectReader {
  private readonly objectStreams = new Map<number, { data: Buffer; offsets: number[] }>();

  constructor(
    private readonly pdf: Buffer,
    private readonly xref: CrossReference,
  ) {}

  get(num: number): PdfObject {
    const entry = this.xref.entries.get(num) ?? malformed(`object ${num} is not in the cross-reference`);
    if ('offset' in entry) {
      const { value } = readIndirect(this.pdf, entry.offset, num);
      return { num, gen: entry.gen, value };
    }
    const stream = this.objectStream(entry.objectStream);
    const start = stream.offsets[entry.index] ?? malformed(`object ${num} is not in its object stream`);
    return { num, gen: 0, value: stream.data.toString('latin1', skipWhite(stream.data, start), skipObject(stream.data, start)) };
  }

  /** The value a reference points to, or the value itself when it is direct. */
  resolve(value: string): string {
    const ref = parseRef(value);
    return ref ? this.get(ref.num).value : value;
  }

  private objectStream(num: number) {
    let stream = this.objectStreams.get(num);
    if (stream) return stream;
    const entry = this.xref.entries.get(num);
    if (!entry || !('offset' in entry)) malformed(`object stream ${num} is not at a file offset`);
    const { dict, data } = readStreamObject(this.pdf, entry.offset, num, (ref) => this.resolve(ref));
    const count = parseInteger(dictGet(dict, '/N'));
    const first = parseInteger(dictGet(dict, '/First'));
    if (dictGet(dict, '/Type') !== '/ObjStm' || count === undefined || first === undefined) malformed(`object ${num} is not an object stream`);
    const offsets: number[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      const objectNumber = readToken(data, at);
      const offset = readToken(data, objectNumber.end);
      at = offset.end;
      offsets.push(first + (parseInteger(offset.token) ?? malformed(`object stream ${num} has a broken header`)));
    }
    stream = { data, offsets };
    this.objectStreams.set(num, stream);
    return stream;
  }
}

/** `N G obj` at `offset` and the raw value after it. */
function readIndirect(pdf: Buffer, offset: number, expected?: number): { value: string; valueStart: number } {
  if (offset >= pdf.length) malformed(`an object offset (${offset}) is past the end of the file`);
  const num = readToken(pdf, offset);
  const gen = readToken(pdf, num.end);
  const keyword = readToken(pdf, gen.end);
  if (parseInteger(num.token) === undefined || parseInteger(gen.token) === undefined || keyword.token !== 'obj') malformed(`no object at byte ${offset}`);
  if (expected !== undefined && Number(num.token) !== expected) malformed(`object ${expected} is not at byte ${offset}`);
  const valueStart = skipWhite(pdf, keyword.end);
  const valueEnd = skipObject(pdf, valueStart);
  return { value: pdf.toString('latin1', valueStart, valueEnd), valueStart };
}

/** A stream object at `offset`: its dictionary and its decoded data. */
function readStreamObject(pdf: Buffer, offset: number, expected?: number, resolve?: (value: string) => string): { dict: PdfDict; data: Buffer } {
  const { valueStart } = readIndirect(pdf, offset, expected);
  const { dict, end } = readDict(pdf, valueStart);
  const keyword = readToken(pdf, end);
  if (keyword.token !== 'stream') malformed(`object at byte ${offset} is not a stream`);
  // The data starts after the EOL that follows `stream` (CRLF or LF, §7.3.8.1).
  let dataStart = keyword.end;
  if (pdf[dataStart] === 13) dataStart++;
  if (pdf[dataStart] === 10) dataStart++;
  const lengthValue = dictGet(dict, '/Length');
  const length = parseInteger(lengthValue !== undefined && resolve ? resolve(lengthValue) : lengthValue);
  if (length === undefined || dataStart + length > pdf.length) malformed(`the stream at byte ${offset} has no usable /Length`);
  return { dict, data: decode(dict, pdf.subarray(dataStart, dataStart + length)) };
}

/** FlateDecode with the PNG predictors (§7.4.4.4), the only filter cross-reference and object streams use in practice. */
function decode(dict: PdfDict, raw: Buffer): Buffer {
  const filter = dictGet(dict, '/Filter');
  if (filter === undefined) return raw;
  if (filter !== '/FlateDecode' && !/^\[\s*\/FlateDecode\s*\]$/.test(filter)) malformed(`the stream filter ${filter} is not supported`);
  let data: Buffer;
  try {
    data = inflateSync(raw, { maxOutputLength: MAX_INFLATED });
  } catch (error) {
    return malformed(`a compressed stream does not inflate (${(error as Error).message})`);
  }
  const parms = dictGet(dict, '/DecodeParms');
  if (parms === undefined) return data;
  const parsed = readDict(Buffer.from(parms.replace(/^\[\s*|\s*\]$/g, ''), 'latin1'), 0).dict;
  const predictor = parseInteger(dictGet(parsed, '/Predictor')) ?? 1;
  if (predictor === 1) return data;
  const columns = parseInteger(dictGet(parsed, '/Columns')) ?? 1;
  const colors = parseInteger(dictGet(parsed, '/Colors')) ?? 1;
  const bits = parseInteger(dictGet(parsed, '/BitsPerComponent')) ?? 8;
  if (predictor < 10 || bits !== 8) malformed(`predictor ${predictor} (${bits} bits) is not supported`);
  return unpredictPng(data, columns * colors, colors);
}

/** Undoes PNG row filters (RFC 2083 §6): each row is a filter byte and `width` bytes. */
function unpredictPng(data: Buffer, width: number, bytesPerPixel: number): Buffer {
  const rows = Math.floor(data.length / (width + 1));
  const out = Buffer.alloc(rows * width);
  for (let r = 0; r < rows; r++) {
    const filter = data[r * (width + 1)];
    const row = r * width;
    for (let i = 0; i < width; i++) {
      const x = data[r * (width + 1) + 1 + i]!;
      const left = i >= bytesPerPixel ? out[row + i - bytesPerPixel]! : 0;
      const up = r > 0 ? out[row - width + i]! : 0;
      const upLeft = r > 0 && i >= bytesPerPixel ? out[row - width + i - bytesPerPixel]! : 0;
      let predicted: number;
      if (filter === 0) predicted = 0;
      else if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      else return malformed(`PNG predictor row filter ${filter} is unknown`);
      out[row + i] = (x + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
