/**
 * Writes the CMS, as hex, into the prepared update's /Contents hole (the rest stays zeros, as
 * readers expect) and returns the signed PDF: the original bytes followed by the update, in one
 * copy. The prepared PDF is left as it was.
 */
import type { PreparedPdf } from './prepare.ts';

export function embedPdfSignature(prepared: PreparedPdf, cms: Uint8Array): Buffer {
  const [, holeStart, holeEnd] = prepared.byteRange;
  const hex = Buffer.from(cms).toString('hex');
  if (hex.length > holeEnd - holeStart - 2) throw new RangeError(`the signature (${cms.length} bytes) does not fit the PDF's hole`);
  const update = Buffer.from(prepared.update);
  update.write(hex, holeStart + 1 - prepared.original.length, 'latin1');
  return Buffer.concat([prepared.original, update]);
}
