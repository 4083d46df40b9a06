/** A PDF is signed inside the file (a signed copy); anything else gets a detached `.p7s` beside it. */
export function isPdf(bytes: Uint8Array): boolean {
  // ISO 32000-1 §7.5.2: the header may follow up to 1024 bytes of anything.
  return Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');
}

/** `report.pdf` → `report-signed.pdf`; any other file → `FILE.p7s`. */
export function defaultOutput(file: string, pdf: boolean): string {
  return pdf ? file.replace(/(\.pdf)?$/i, '-signed.pdf') : `${file}.p7s`;
}
