/**
 * A small, valid PDF 1.4 with a classic cross-reference table, for the document-signing tests,
 * the bench and the demo's sample: one A4 page of ASCII text, optionally padded to a size with
 * comment lines in its content stream (comments are legal there and draw nothing).
 */
export function makeSamplePdf(options: { text?: string; size?: number } = {}): Buffer {
  const text = (options.text ?? 'jpki-bridge sample document').replace(/[\\()]/g, (c) => `\\${c}`);
  let content = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET\n`;
  const padding = Math.max(0, (options.size ?? 0) - 1200 - content.length);
  const line = `%${'x'.repeat(78)}\n`;
  content += line.repeat(Math.floor(padding / line.length));
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
  ];
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
