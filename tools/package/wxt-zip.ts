/**
 * `node --import tsx tools/package/wxt-zip.ts chrome|firefox OUT_DIR`: WXT's own `zip` (build,
 * then zip; for Firefox also the sources zip AMO asks of minified add-ons), with our names, into
 * OUT_DIR — never extension/.output, whose keyed build the tests and the demo load. One process
 * per browser: WXT keeps its state in a module-level singleton.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zip } from 'wxt';
import { ROOT } from './paths.ts';

const [browser, outDir] = process.argv.slice(2);
if ((browser !== 'chrome' && browser !== 'firefox') || !outDir) throw new Error('usage: wxt-zip.ts chrome|firefox OUT_DIR');

// A store build is a production build whatever started us: under vitest NODE_ENV is 'test', which
// WXT would keep, and Vite would then compile JSX in development form (with absolute source paths).
process.env.NODE_ENV = 'production';

await zip({
  root: join(ROOT, 'extension'),
  browser,
  mode: 'production',
  outDir,
  zip: {
    name: 'jpki-bridge',
    artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip',
    sourcesTemplate: '{{name}}-{{version}}-sources.zip',
    // The extension imports the shared workspace and builds from the root's lockfile: the
    // reviewers get the whole repository's source (extension/store/SOURCE-REVIEW.md says how to
    // build), without what is built, generated or only for tests.
    sourcesRoot: ROOT,
    excludeSources: ['dist/**', '**/dist/**', 'test-output/**', 'test/**', 'docs/screenshots/**'],
  },
  hooks: {
    // The Chrome Web Store refuses a manifest with `key`: the store signs with its own key
    // (docs/packaging.md, "The extension id").
    'zip:extension:start': (wxt) => {
      if (wxt.config.browser !== 'chrome') return;
      const file = join(wxt.config.outDir, 'manifest.json');
      const { key: _key, ...manifest } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify(manifest));
    },
  },
});
