// Bundles the CLI (and the host it starts) into one ES module so that the browser's cold start
// of the host reads one file instead of resolving hundreds of TS modules. pcsclite is a native
// addon and stays external; heavy modules (the card backends, the virtual card and its crypto,
// install/doctor) are split into chunks loaded lazily through dynamic import().
//
// `node native-host/build.mjs --sea FILE` writes instead the one CommonJS file (and FILE.meta.json) that a Node
// single executable application runs (the Debian package's host, tools/package/sea.ts): Node 20
// runs only CommonJS there, without splitting, and only built-in modules can be require()d, so
// everything but the addon is bundled and the module's own URL is the executable's.
import { build } from 'esbuild';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const outdir = `${here}dist`;
const { values } = parseArgs({ options: { sea: { type: 'string' } } });

const common = {
  entryPoints: { cli: `${here}src/cli/main.ts` },
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['pcsclite'],
  logLevel: 'warning',
};

if (values.sea) {
  const result = await build({
    ...common,
    outfile: values.sea,
    format: 'cjs',
    metafile: true,
    define: { 'import.meta.url': '__jpkiModuleUrl' },
    banner: { js: "const __jpkiModuleUrl = require('node:url').pathToFileURL(process.execPath).href;" },
  });
  // Which npm packages went into the bundle: the Debian package's copyright file lists them.
  writeFileSync(`${values.sea}.meta.json`, JSON.stringify(result.metafile));
} else {
  const result = await build({
    ...common,
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    format: 'esm',
    sourcemap: 'linked',
    metafile: true,
    // Bundled CommonJS (node-forge) calls require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __jpkiCreateRequire } from 'node:module'; const require = __jpkiCreateRequire(import.meta.url);" },
  });

  // Remove chunks of earlier builds (content-hashed names pile up otherwise). Only files this
  // build did not write are removed, so a host already running from the current build is unaffected.
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => basename(file)));
  written.add('roots');
  for (const file of readdirSync(outdir)) {
    if (!written.has(file)) rmSync(`${outdir}/${file}`, { force: true });
  }
  // `jpki-bridge verify` trusts the J-LIS roots the verifier ships; bundled, it finds them beside its chunk.
  cpSync(`${here}../relying-party/src/verifier/roots`, `${outdir}/roots`, { recursive: true });
}
