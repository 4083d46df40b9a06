/**
 * Prepares a PDF for one signature: an incremental update (the original bytes stay as they are,
 * so earlier signatures still hold) adding a signature field, its widget on the first page and a
 * signature dictionary whose /Contents is a zero-filled hole, by @signpdf/placeholder-plain; then
 * the /ByteRange written over its placeholder — everything but the hole — and the SHA-256 of
 * those bytes, which the CMS's messageDigest carries (ISO 32000-1 §12.8.1).
 */
import { createHash } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { findByteRange, type SUBFILTER_ADOBE_PKCS7_DETACHED, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { VerificationError } from '../verifier/errors.ts';

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
  /** The PDF with the hole: embedPdfSignature fills it. */
  pdf: Buffer;
  /** [0, start of the hole, end of the hole, bytes after it]. */
  byteRange: [number, number, number, number];
  /** SHA-256 of the bytes the ByteRange covers. */
  digest: Uint8Array;
}

/** Room for the CMS: 8 KB, four times what one certificate and one RSA-2048 signature take. */
export const SIGNATURE_ROOM = 8192;

export function preparePdf(pdf: Uint8Array, options: PreparePdfOptions = {}): PreparedPdf {
  let withPlaceholder: Buffer;
  try {
    withPlaceholder = plainAddPlaceholder({
      pdfBuffer: Buffer.from(pdf),
      reason: options.reason ?? '',
      contactInfo: '',
      name: options.name ?? '',
      location: options.location ?? '',
      signingTime: options.signingTime,
      signatureLength: SIGNATURE_ROOM,
      subFilter: options.subFilter ?? SUBFILTER_ETSI_CADES_DETACHED,
      appName: 'jpki-bridge',
    });
  } catch (error) {
    // placeholder-plain reads classic cross-reference tables only (not PDF 1.5 xref streams).
    throw new VerificationError('DOCUMENT_MALFORMED', `the PDF cannot be prepared for signing: ${(error as Error).message}`);
  }
  withPlaceholder = pointStartxrefAtXref(withPlaceholder);
  const { byteRangePlaceholder, byteRangePlaceholderPosition } = findByteRange(withPlaceholder);
  if (byteRangePlaceholder === undefined || byteRangePlaceholderPosition === undefined) throw new Error('preparePdf: no ByteRange placeholder was written');
  const holeStart = withPlaceholder.indexOf('/Contents <', byteRangePlaceholderPosition) + '/Contents '.length;
  const holeEnd = withPlaceholder.indexOf('>', holeStart) + 1;
  const byteRange: PreparedPdf['byteRange'] = [0, holeStart, holeEnd, withPlaceholder.length - holeEnd];
  const written = `/ByteRange [${byteRange.join(' ')}]`;
  if (holeStart < byteRangePlaceholderPosition || written.length > byteRangePlaceholder.length) throw new Error('preparePdf: unexpected placeholder layout');
  withPlaceholder.write(written.replace(']', `${' '.repeat(byteRangePlaceholder.length - written.length)}]`), byteRangePlaceholderPosition, 'latin1');
  return { pdf: withPlaceholder, byteRange, digest: digestByteRange(withPlaceholder, byteRange) };
}

/**
 * placeholder-plain writes the new `startxref` one byte early, at the newline before `xref`
 * (qpdf: "extraneous whitespace seen before xref"): pointed at the keyword itself.
 */
function pointStartxrefAtXref(pdf: Buffer): Buffer {
  const at = pdf.lastIndexOf('startxref');
  const match = /^startxref\s+(\d+)/.exec(pdf.toString('latin1', at, at + 30));
  if (!match) return pdf;
  const offset = Number(match[1]);
  if (pdf.toString('latin1', offset, offset + 5) !== '\nxref') return pdf;
  return Buffer.concat([pdf.subarray(0, at), Buffer.from(match[0].replace(/\d+$/, String(offset + 1)), 'latin1'), pdf.subarray(at + match[0].length)]);
}

export function digestByteRange(pdf: Uint8Array, [start1, length1, start2, length2]: readonly number[]): Uint8Array {
  const hash = createHash('sha256');
  hash.update(pdf.subarray(start1!, start1! + length1!));
  hash.update(pdf.subarray(start2!, start2! + length2!));
  return new Uint8Array(hash.digest());
}
