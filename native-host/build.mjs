// Bundles the CLI (and the host it starts) into one ES module so that the browser's cold start
// of the host reads one file instead of resolving hundreds of TS modules. pcsclite is a native
// addon and stays external; heavy modules (the card backends, the virtual card and its crypto,
// install/doctor) are split into chunks loaded lazily through dynamic import().
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const outdir = `${here}dist`;

const result = await build({
  entryPoints: { cli: `${here}src/cli/main.ts` },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['pcsclite'],
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS (node-forge) calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __jpkiCreateRequire } from 'node:module'; const require = __jpkiCreateRequire(import.meta.url);" },
});

// Remove chunks of earlier builds (content-hashed names pile up otherwise). Only files this
// build did not write are removed, so a host already running from the current build is unaffected.
const written = new Set(Object.keys(result.metafile.outputs).map((file) => basename(file)));
for (const file of readdirSync(outdir)) {
  if (!written.has(file)) rmSync(`${outdir}/${file}`, { force: true });
}
