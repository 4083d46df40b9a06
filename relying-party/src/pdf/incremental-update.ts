/**
 * Writes an incremental update (ISO 32000-1 §7.5.6): new versions of some objects, appended after
 * the original bytes, then a cross-reference section for just those objects whose trailer
 * carries every entry of the previous one and /Prev pointing at it. The section takes the form
 * of the one it chains to — a classic table after a table (or a hybrid file's table), a
 * cross-reference stream after a stream — because ISO 32000-1 §7.5.8.4 defines /Prev of each
 * form as pointing to the same form, and readers that do not tolerate the mix exist. Only the
 * update is built here; the original is never copied.
 */
import type { CrossReference } from './cross-reference.ts';
import { dictSet, writeDict, type PdfDict } from './syntax.ts';

export interface UpdatedObject {
  num: number;
  gen: number;
  /** The object's value, latin1 text (binary strings included). */
  value: string;
}

/** Trailer entries that describe the previous section itself, not the document (§7.5.5, §7.5.8.2): written anew. */
const SECTION_KEYS = new Set([
  '/Size',
  '/Prev',
  '/XRefStm',
  '/Type',
  '/W',
  '/Index',
  '/Length',
  '/Filter',
  '/DecodeParms',
  '/F',
  '/FFilter',
  '/FDecodeParms',
  '/DL',
]);

/**
 * The bytes to append to a PDF of `originalLength` bytes whose last byte is `lastByte`.
 * Object offsets count from the start of the original.
 */
export function writeIncrementalUpdate(originalLength: number, lastByte: number | undefined, xref: CrossReference, objects: UpdatedObject[]): Buffer {
  // The original's last line (%%EOF) must end before the first new object starts.
  const chunks: string[] = [lastByte === 10 || lastByte === 13 ? '' : '\n'];
  let position = originalLength + chunks[0]!.length;
  const offsets = new Map<number, { offset: number; gen: number }>();
  for (const object of [...objects].sort((a, b) => a.num - b.num)) {
    offsets.set(object.num, { offset: position, gen: object.gen });
    const text = `${object.num} ${object.gen} obj\n${object.value}\nendobj\n`;
    chunks.push(text);
    position += text.length;
  }
  let trailer = xref.trailer.filter(([key]) => !SECTION_KEYS.has(key));
  trailer = dictSet(trailer, '/Prev', String(xref.startxref));
  const newSize = Math.max(xref.size, ...objects.map((o) => o.num + 1));
  if (xref.kind === 'table') {
    chunks.push(`xref\n${tableRows(offsets)}trailer\n${writeDict(dictSet(trailer, '/Size', String(newSize)))}\nstartxref\n${position}\n%%EOF\n`);
  } else {
    // The stream is an object too and lists itself (§7.5.8.3).
    const streamNum = newSize;
    offsets.set(streamNum, { offset: position, gen: 0 });
    const { index, data } = streamRows(offsets);
    const dict = [
      ...trailer,
      ['/Type', '/XRef'],
      ['/Size', String(streamNum + 1)],
      ['/W', '[1 4 2]'],
      ['/Index', `[${index.join(' ')}]`],
      ['/Length', String(data.length)],
    ] as PdfDict;
    chunks.push(`${streamNum} 0 obj\n${writeDict(dict)}\nstream\n${data.toString('latin1')}\nendstream\nendobj\nstartxref\n${position}\n%%EOF\n`);
  }
  return Buffer.from(chunks.join(''), 'latin1');
}

/** Consecutive object numbers share a subsection; each entry is exactly 20 bytes (§7.5.4). */
function tableRows(offsets: Map<number, { offset: number; gen: number }>): string {
  let out = '';
  for (const run of runs([...offsets.keys()])) {
    out += `${run[0]} ${run.length}\n`;
    for (const num of run) {
      const { offset, gen } = offsets.get(num)!;
      out += `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`;
    }
  }
  return out;
}

/** Type 1 rows of widths [1 4 2] (§7.5.8.3): an offset past 4 GiB throws, and preparePdf reports DOCUMENT_MALFORMED. */
function streamRows(offsets: Map<number, { offset: number; gen: number }>): { index: number[]; data: Buffer } {
  const index: number[] = [];
  const rows: Buffer[] = [];
  for (const run of runs([...offsets.keys()])) {
    index.push(run[0]!, run.length);
    for (const num of run) {
      const { offset, gen } = offsets.get(num)!;
      const row = Buffer.alloc(7);
      row[0] = 1;
      row.writeUInt32BE(offset, 1);
      row.writeUInt16BE(gen, 5);
      rows.push(row);
    }
  }
  return { index, data: Buffer.concat(rows) };
}

function runs(numbers: number[]): number[][] {
  const sorted = [...numbers].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const n of sorted) {
    const last = out.at(-1);
    if (last && last.at(-1) === n - 1) last.push(n);
    else out.push([n]);
  }
  return out;
}
