/**
 * Prepares a PDF for one signature: an incremental update (the original bytes stay as they are,
 * so earlier signatures still hold) adding a signature field, its widget on the first page and a
 * signature dictionary whose /Contents is a zero-filled hole; then the /ByteRange written over
 * its placeholder — everything but the hole — and the SHA-256 of those bytes, which the CMS's
 * messageDigest carries (ISO 32000-1 §12.8.1).
 *
 * The file is read where it lies: the cross-reference and the catalog, first page and AcroForm
 * are found by offset (cross-reference.ts), only the update is built (incremental-update.ts), and
 * the one pass over the whole file is the digest. @signpdf/placeholder-plain did this job before;
 * it decodes and copies the whole file several times and reads classic cross-reference tables
 * only (docs/document-signing.md). The new objects are still @signpdf's: the same dictionaries
 * as its pdfkit placeholder, serialised by its PDFObject.
 */
import { createHash } from 'node:crypto';
import {
  ANNOTATION_FLAGS,
  DEFAULT_BYTE_RANGE_PLACEHOLDER,
  PDFAbstractReference,
  PDFObject,
  SIG_FLAGS,
  type SUBFILTER_ADOBE_PKCS7_DETACHED,
  SUBFILTER_ETSI_CADES_DETACHED,
} from '@signpdf/utils';
import { VerificationError } from '../verifier/errors.ts';
import { ObjectReader, readCrossReference, type PdfObject } from './cross-reference.ts';
import { writeIncrementalUpdate, type UpdatedObject } from './incremental-update.ts';
import { arrayItems, dictGet, dictSet, malformed, parseInteger, parseRef, readDict, writeDict, type PdfDict } from './syntax.ts';

export type PdfSubFilter = typeof SUBFILTER_ETSI_CADES_DETACHED | typeof SUBFILTER_ADOBE_PKCS7_DETACHED;

export interface PreparePdfOptions {
  /** Shown by readers beside the signature. */
  reason?: string;
  location?: string;
  /** The signer's name as the signature dictionary's /Name (readers show the certificate's anyway). */
  name?: string;
  /** ETSI.CAdES.detached (PAdES baseline, the default) or adbe.pkcs7.detached. */
  subFilter?: PdfSubFilter;
  signingTime?: Date;
}

export interface PreparedPdf {
  /** The PDF as given — not copied, so it must stay unchanged until embedPdfSignature. */
  original: Uint8Array;
  /** The incremental update appended to it, with the zero-filled hole: embedPdfSignature fills it. */
  update: Buffer;
  /** [0, start of the hole, end of the hole, bytes after it], counted over original + update. */
  byteRange: [number, number, number, number];
  /** SHA-256 of the bytes the ByteRange covers. */
  digest: Uint8Array;
}

/** Room for the CMS: 8 KB, four times what one certificate and one RSA-2048 signature take. */
export const SIGNATURE_ROOM = 8192;

/** @signpdf's placeholder, overwritten with the numbers (padded to the same width). */
const BYTE_RANGE_PLACEHOLDER = `/ByteRange [0 ${Array(3).fill(`/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`).join(' ')}]`;

export function preparePdf(pdf: Uint8Array, options: PreparePdfOptions = {}): PreparedPdf {
  const original = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  let update: Buffer;
  try {
    update = writeIncrementalUpdate(original.length, original.at(-1), ...signatureObjects(original, options));
  } catch (error) {
    if (error instanceof VerificationError) throw error;
    throw new VerificationError('DOCUMENT_MALFORMED', `the PDF cannot be prepared for signing: ${(error as Error).message}`);
  }
  const placeholder = update.indexOf(BYTE_RANGE_PLACEHOLDER);
  const holeStart = update.indexOf('/Contents <', placeholder) + '/Contents '.length;
  const holeEnd = update.indexOf('>', holeStart) + 1;
  const byteRange: PreparedPdf['byteRange'] = [0, original.length + holeStart, original.length + holeEnd, update.length - holeEnd];
  const written = `/ByteRange [${byteRange.join(' ')}`;
  update.write(`${written.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ')}]`, placeholder, 'latin1');
  const digest = createHash('sha256').update(original).update(update.subarray(0, holeStart)).update(update.subarray(holeEnd)).digest();
  return { original: pdf, update, byteRange, digest: new Uint8Array(digest) };
}

/**
 * The objects of the update: the signature dictionary, the widget (a merged signature field,
 * ISO 32000-1 §12.7.4.5) on the first page, the page with it in /Annots, and the AcroForm listing
 * it (a new one, or the existing one extended) with SigFlags SignaturesExist | AppendOnly.
 */
function signatureObjects(pdf: Buffer, options: PreparePdfOptions): [ReturnType<typeof readCrossReference>, UpdatedObject[]] {
  const xref = readCrossReference(pdf);
  const reader = new ObjectReader(pdf, xref);
  const rootRef = parseRef(dictGet(xref.trailer, '/Root')) ?? malformed('the trailer has no /Root');
  const catalog = readDictObject(reader.get(rootRef.num));
  const page = firstPage(reader, catalog.dict);
  let next = xref.size;
  const signatureNum = next++;
  const widgetNum = next++;
  const objects: UpdatedObject[] = [];

  let form: PdfDict;
  let writeForm: (dict: PdfDict) => void;
  const formValue = dictGet(catalog.dict, '/AcroForm');
  const formRef = parseRef(formValue);
  if (formRef) {
    const existing = readDictObject(reader.get(formRef.num));
    form = existing.dict;
    writeForm = (dict) => objects.push({ num: existing.num, gen: existing.gen, value: writeDict(dict) });
  } else {
    form = formValue === undefined ? [] : readDict(Buffer.from(formValue, 'latin1'), 0).dict;
    const num = next++;
    writeForm = (dict) => objects.push({ num, gen: 0, value: writeDict(dict) });
    objects.push({ num: catalog.num, gen: catalog.gen, value: writeDict(dictSet(catalog.dict, '/AcroForm', `${num} 0 R`)) });
  }
  const fields = itemsOf(reader, dictGet(form, '/Fields'));
  const widgetRef = `${widgetNum} 0 R`;
  const sigFlags = (parseInteger(dictGet(form, '/SigFlags')) ?? 0) | SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY;
  writeForm(dictSet(dictSet(form, '/Fields', `[${[...fields, widgetRef].join(' ')}]`), '/SigFlags', String(sigFlags)));

  const annots = itemsOf(reader, dictGet(page.dict, '/Annots'));
  objects.push({ num: page.num, gen: page.gen, value: writeDict(dictSet(page.dict, '/Annots', `[${[...annots, widgetRef].join(' ')}]`)) });
  objects.push({
    num: widgetNum,
    gen: 0,
    value: PDFObject.convert({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      V: new Reference(signatureNum, 0),
      T: new String(`Signature${fields.length + 1}`),
      F: ANNOTATION_FLAGS.PRINT,
      P: new Reference(page.num, page.gen),
    }),
  });
  objects.push({ num: signatureNum, gen: 0, value: signatureDictionary(options) });
  // A file whose catalog, page and AcroForm are one object would get two versions of it in one update.
  if (new Set(objects.map((o) => o.num)).size !== objects.length) malformed('the catalog, the first page and the AcroForm are not distinct objects');
  return [xref, objects];
}

function signatureDictionary(options: PreparePdfOptions): string {
  return PDFObject.convert({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: options.subFilter ?? SUBFILTER_ETSI_CADES_DETACHED,
    ByteRange: [0, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER],
    Contents: Buffer.alloc(SIGNATURE_ROOM),
    Reason: new String(options.reason ?? ''),
    M: options.signingTime ?? new Date(),
    ContactInfo: new String(''),
    Name: new String(options.name ?? ''),
    Location: new String(options.location ?? ''),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'jpki-bridge' } },
  });
}

/** An indirect reference as PDFObject writes it (its own mock knows generation 0 only). */
class Reference extends PDFAbstractReference {
  constructor(
    private readonly num: number,
    private readonly gen: number,
  ) {
    super();
  }
  override toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

function readDictObject(object: PdfObject): PdfObject & { dict: PdfDict } {
  return { ...object, dict: readDict(Buffer.from(object.value, 'latin1'), 0).dict };
}

/** The first leaf of the page tree (/Pages → /Kids[0] … → /Type /Page). */
function firstPage(reader: ObjectReader, catalog: PdfDict): PdfObject & { dict: PdfDict } {
  let ref = parseRef(dictGet(catalog, '/Pages')) ?? malformed('the catalog has no /Pages');
  for (let depth = 0; depth < 64; depth++) {
    const node = readDictObject(reader.get(ref.num));
    if (dictGet(node.dict, '/Type') === '/Page') return node;
    const kids = itemsOf(reader, dictGet(node.dict, '/Kids'));
    ref = parseRef(kids[0]) ?? malformed('the page tree has no first page');
  }
  return malformed('the page tree is too deep');
}

/** The elements of an array value, direct or by reference; none when absent. */
function itemsOf(reader: ObjectReader, value: string | undefined): string[] {
  return value === undefined ? [] : arrayItems(reader.resolve(value));
}

export function digestByteRange(pdf: Uint8Array, [start1, length1, start2, length2]: readonly number[]): Uint8Array {
  const hash = createHash('sha256');
  hash.update(pdf.subarray(start1!, start1! + length1!));
  hash.update(pdf.subarray(start2!, start2! + length2!));
  return new Uint8Array(hash.digest());
}
