/**
 * The rooms of the source tree keep to their walls: the extension's pages reach the background
 * only by message (never by import), no folder's modules import each other in a circle, and the
 * published libraries name what they publish.
 * Read from the files' own import lines, so a new file is checked without being listed here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name) && !name.includes('node_modules'))
    .map((name) => join(dir, name));
}

/** The relative modules a file imports (static `import … from` and `export … from`, and `import()`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom|\bimport\(?)\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)));
}

describe('source layout', () => {
  it('no extension page (dialog, popup, options, their entrypoints, the shared UI) imports from background/', () => {
    const pages = ['extension/src/dialog', 'extension/src/popup', 'extension/src/options', 'extension/src/ui', 'extension/src/settings'].flatMap(sourceFiles);
    const entrypoints = ['extension/entrypoints/dialog', 'extension/entrypoints/popup', 'extension/entrypoints/options'].flatMap(sourceFiles);
    expect(pages.length).toBeGreaterThan(5);
    const offending = [...pages, ...entrypoints].flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith('extension/src/background/'))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it.each(['shared/src', 'native-host/src', 'extension/src', 'relying-party/src', 'demo'])('no import circle among the modules of %s', (dir) => {
    const files = sourceFiles(dir);
    const edges = new Map(files.map((file) => [file, relativeImports(file).filter((target) => target.startsWith(`${dir}/`))]));
    const done = new Set<string>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      const at = path.indexOf(file);
      if (at >= 0) {
        circles.push([...path.slice(at), file].join(' → '));
        return;
      }
      if (done.has(file)) return;
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      done.add(file);
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('the published entry points list their names one by one (no export *), and the verifier publishes no demo helper', async () => {
    for (const entry of ['relying-party/src/index.ts', 'relying-party/src/page/index.ts', 'packages/testing/src/index.ts']) {
      expect(readFileSync(join(ROOT, entry), 'utf8'), entry).not.toMatch(/export \*/);
    }
    const verifier = Object.keys(await import('../../relying-party/src/index.ts'));
    expect(verifier).toEqual(expect.arrayContaining(['JpkiVerifier', 'trustAnchorsFrom', 'prepareXmlSignature', 'verifyXmlSignature']));
    for (const internal of ['buildTaxReturnXml', 'validateTaxReturn', 'TaxReturnError', 'ChainValidator', 'parseCertificate', 'parseStrictXml']) {
      expect(verifier).not.toContain(internal);
    }
  });
});
