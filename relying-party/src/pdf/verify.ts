/**
 * Verifies every signature of a signed PDF, with the lessons of myna's PDF verifier advisories:
 * each /ByteRange must start at 0 and leave out exactly one hole, which must be a /Contents hex
 * string; the newest signature must cover the whole file (bytes appended after it are unsigned
 * changes); every signature in the file is checked, not just the first; and each CMS passes the
 * full certificate checks of verifyDetachedCms (chain, validity, policy, key usage, the signer
 * identifier). What later incremental updates changed is not analysed: the newest signature must
 * cover them all.
 */
import { VerificationError, type VerificationFailure } from '../verifier/errors.ts';
import type { JpkiVerifier } from '../verifier/verifier.ts';
import { verifyDetachedCms, type CmsResult, type CmsSuccess } from '../cms/verify.ts';
import { digestByteRange } from './prepare.ts';

export interface PdfSignature {
  byteRange: [number, number, number, number];
  /** The signature covers every byte of the file but its own hole. */
  coversWholeFile: boolean;
  result: CmsResult;
}

export type PdfResult =
  | { ok: true; signatures: (PdfSignature & { result: CmsSuccess })[] /** The newest signature's result. */; signer: CmsSuccess }
  | (VerificationFailure & { signatures: PdfSignature[] });

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/y;

export async function verifyPdf(verifier: JpkiVerifier, pdf: Uint8Array): Promise<PdfResult> {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const signatures: PdfSignature[] = [];
  try {
    const ranges = findByteRanges(bytes);
    if (ranges.length === 0) throw new VerificationError('DOCUMENT_MALFORMED', 'the PDF has no signature');
    const holes = new Set<number>();
    for (const byteRange of ranges) {
      const cms = readHole(bytes, byteRange);
      if (holes.has(byteRange[1])) throw new VerificationError('DOCUMENT_MALFORMED', 'two signatures share one /Contents');
      holes.add(byteRange[1]);
      const result = await verifyDetachedCms(verifier, cms, { sha256: digestByteRange(bytes, byteRange) });
      signatures.push({ byteRange, coversWholeFile: byteRange[2] + byteRange[3] === bytes.length, result });
    }
    const failed = signatures.find((s) => !s.result.ok);
    if (failed && !failed.result.ok) return { ...failed.result, signatures };
    const newest = signatures.reduce((a, b) => (b.byteRange[2] + b.byteRange[3] > a.byteRange[2] + a.byteRange[3] ? b : a));
    if (!newest.coversWholeFile) throw new VerificationError('DIGEST_MISMATCH', 'bytes were added after the newest signature: they are not signed');
    return { ok: true, signatures: signatures as (PdfSignature & { result: CmsSuccess })[], signer: newest.result as CmsSuccess };
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    return { ok: false, code: error.code, message: error.message, signatures };
  }
}

/** Every /ByteRange in the file; one that is not four plain integers is malformed, not skipped. */
function findByteRanges(pdf: Buffer): [number, number, number, number][] {
  const ranges: [number, number, number, number][] = [];
  for (let at = pdf.indexOf('/ByteRange'); at >= 0; at = pdf.indexOf('/ByteRange', at + 1)) {
    BYTE_RANGE.lastIndex = 0;
    const match = BYTE_RANGE.exec(pdf.toString('latin1', at, at + 80));
    if (!match) throw new VerificationError('DOCUMENT_MALFORMED', `the /ByteRange at byte ${at} is not four integers`);
    ranges.push([Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])]);
  }
  return ranges;
}

/** The hole must be exactly a `/Contents <hex>` string: whatever else it is, bytes there would be unsigned. */
function readHole(pdf: Buffer, [start1, length1, start2, length2]: [number, number, number, number]): Uint8Array {
  if (start1 !== 0 || length1 >= start2 || start2 + length2 > pdf.length) {
    throw new VerificationError(
      'DOCUMENT_MALFORMED',
      `the /ByteRange [${start1} ${length1} ${start2} ${length2}] does not cover the file from its first byte around one hole`,
    );
  }
  const before = pdf.toString('latin1', Math.max(0, length1 - 20), length1);
  const hole = pdf.toString('latin1', length1, start2);
  if (!/\/Contents\s*$/.test(before) || !/^<[0-9a-fA-F\s]*>$/.test(hole)) {
    throw new VerificationError('DOCUMENT_MALFORMED', 'the hole the /ByteRange leaves out is not the signature’s /Contents');
  }
  // Trailing zero bytes are the unused room of the hole (DER never ends in them after its length says so).
  const der = Buffer.from(hole.slice(1, -1).replace(/\s/g, ''), 'hex');
  return derPrefix(der);
}

/** The DER SEQUENCE at the start of the hole, without the hole's zero padding. */
function derPrefix(der: Buffer): Uint8Array {
  if (der[0] !== 0x30 || der.length < 2) throw new VerificationError('DOCUMENT_MALFORMED', 'the /Contents is not a DER signature');
  const first = der[1]!;
  const lengthBytes = first & 0x80 ? first & 0x7f : 0;
  if (lengthBytes > 4) throw new VerificationError('DOCUMENT_MALFORMED', 'the /Contents is not a DER signature');
  let length = lengthBytes ? 0 : first;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[2 + i]!;
  const total = 2 + lengthBytes + length;
  if (total > der.length || der.subarray(total).some((b) => b !== 0))
    throw new VerificationError('DOCUMENT_MALFORMED', 'the /Contents holds more than one DER signature');
  return der.subarray(0, total);
}
