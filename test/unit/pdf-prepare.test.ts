/**
 * preparePdf on files it did not make: whatever the bytes, it returns an update or throws a
 * DOCUMENT_MALFORMED VerificationError — never another error, never a loop. The cases a hostile
 * upload would try by hand (no PDF, offsets past the end, a /Prev loop, an encrypted file, a
 * broken compressed cross-reference), then random damage where the structure lives (fast-check).
 * The signatures themselves are checked by the peers in pdf-signature.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embedPdfSignature, preparePdf, VerificationError } from '../../relying-party/src/index.ts';
import { makeSamplePdf } from '../../tools/dev/sample-pdf.ts';

const classic = makeSamplePdf({ text: 'hostile input' });
/** The same document with object streams and a cross-reference stream (qpdf --object-streams=generate). */
const streamed = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'jpki-pdf-prepare-'));
  writeFileSync(join(dir, 'in.pdf'), classic);
  execFileSync('qpdf', ['--object-streams=generate', join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
  return readFileSync(join(dir, 'out.pdf'));
})();

function refusal(pdf: Uint8Array): string | undefined {
  try {
    preparePdf(pdf);
    return undefined;
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    expect(error.code).toBe('DOCUMENT_MALFORMED');
    return error.message;
  }
}

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('preparePdf refuses what it cannot sign with DOCUMENT_MALFORMED', () => {
  it('a file that is not a PDF, or is empty', () => {
    expect(refusal(latin1('hello'))).toMatch(/no startxref/);
    expect(refusal(new Uint8Array(0))).toMatch(/no startxref/);
  });

  it('a startxref past the end of the file, or at something that is no cross-reference', () => {
    const text = classic.toString('latin1');
    expect(refusal(latin1(text.replace(/startxref\n\d+/, 'startxref\n99999999')))).toMatch(/past the end/);
    expect(refusal(latin1(text.replace(/startxref\n\d+/, 'startxref\n0')))).toMatch(/is not a stream/);
  });

  it('an encrypted PDF (its new objects would have to be encrypted)', () => {
    const text = classic.toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 9 0 R');
    expect(refusal(latin1(text))).toMatch(/encrypted/);
  });

  it('a catalog that is its own first page (two versions of one object in one update)', () => {
    const text = classic.toString('latin1').replace('<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Page    /Pages 1 0 R >>');
    expect(refusal(latin1(text))).toMatch(/not distinct objects/);
  });

  it('a page tree that loops', () => {
    const text = classic.toString('latin1').replace('/Kids [3 0 R]', '/Kids [2 0 R]');
    expect(refusal(latin1(text))).toMatch(/page tree is too deep/);
  });

  it('a compressed cross-reference stream that does not inflate', () => {
    const at = streamed.lastIndexOf('stream\n', streamed.lastIndexOf('endstream')) + 'stream\n'.length;
    const broken = Buffer.from(streamed);
    broken.fill(0x41, at, at + 8);
    expect(refusal(broken)).toMatch(/does not inflate/);
  });

  it('a /Prev that points back at its own section: read once, and the objects before it are missing', () => {
    const once = embedPdfSignature(preparePdf(classic), Buffer.from([0x30, 0x00]));
    const xrefAt = once.lastIndexOf('\nxref\n') + 1;
    const looped = latin1(once.toString('latin1').replace(/\/Prev \d+/, `/Prev ${xrefAt}`.padEnd(`/Prev ${xrefAt}`.length)));
    expect(refusal(looped)).toMatch(/object 2 is not in the cross-reference/);
  });
});

describe('preparePdf on damaged files (fast-check)', () => {
  // Damage where the structure is read: the cross-reference, the trailer and the objects it points at.
  for (const [name, pdf] of [
    ['a classic cross-reference table', classic],
    ['a cross-reference stream and object streams', streamed],
  ] as const) {
    it(`${name}: any changed bytes or truncation give an update or DOCUMENT_MALFORMED`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat({ max: pdf.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
          fc.nat({ max: pdf.length }),
          (changes, keep) => {
            const damaged = Buffer.from(pdf.subarray(0, Math.max(keep, pdf.length - 200)));
            for (const [at, byte] of changes) if (at < damaged.length) damaged[at] = byte;
            refusal(damaged);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
