// Bundles the CLI (and the host it starts) into one ES module so that the browser's cold start
// of the host reads one file instead of resolving hundreds of TS modules. pcsclite is a native
// addon and stays external; heavy modules are loaded lazily through dynamic import().
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

await build({
  entryPoints: { cli: `${here}src/cli/main.ts` },
  outdir: `${here}dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['pcsclite'],
  sourcemap: 'linked',
  logLevel: 'warning',
  // Bundled CommonJS (node-forge) calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __jpkiCreateRequire } from 'node:module'; const require = __jpkiCreateRequire(import.meta.url);" },
});
