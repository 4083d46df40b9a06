/** Writes the CMS, as hex, into the prepared PDF's /Contents hole (the rest stays zeros, as readers expect). */
import type { PreparedPdf } from './prepare.ts';

export function embedPdfSignature(prepared: PreparedPdf, cms: Uint8Array): Buffer {
  const [, holeStart, holeEnd] = prepared.byteRange;
  const hex = Buffer.from(cms).toString('hex');
  if (hex.length > holeEnd - holeStart - 2) throw new RangeError(`the signature (${cms.length} bytes) does not fit the PDF's hole`);
  const signed = Buffer.from(prepared.pdf);
  signed.write(hex, holeStart + 1, 'latin1');
  return signed;
}
