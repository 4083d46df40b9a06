/**
 * The npm tarballs (packages/README.md): each package's JavaScript bundled by esbuild (our
 * workspaces inlined, its npm dependencies left as imports), its declarations bundled by
 * rollup-plugin-dts (the shared types inlined the same way), packed with `npm pack` from a
 * staging folder. The CLI reuses the host's own bundle (native-host/build.mjs), so the package
 * runs exactly what the tests run.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import { capture } from './exec.ts';
import { DIST, ROOT, VERSION } from './paths.ts';
import { copyKeyedExtension, installedLayout } from './testing.ts';

interface NpmPackage {
  /** Its folder under packages/. */
  dir: string;
  /** What goes into the tarball besides package.json, README.md and LICENSE. */
  make(out: string): Promise<void>;
  /** Its npm dependencies (the ranges come from the root package.json). */
  dependencies: readonly string[];
}

/** '@jpki-bridge/shared/…' resolves to the source, as in the workspace (for the declaration bundler). */
const SHARED_PATHS = { '@jpki-bridge/shared': ['shared/src/index.ts'], '@jpki-bridge/shared/*': ['shared/src/*.ts'] };

/**
 * Leaves the dependencies as imports. A deep import into a CommonJS package ('xml-crypto/lib/utils')
 * resolves in the workspace (tsx, bundlers) but not under Node's ES module loader, which wants the
 * file's full name: it is written as the file it resolves to ('xml-crypto/lib/utils.js').
 */
function externals(names: readonly string[]): Plugin {
  const require = createRequire(join(ROOT, 'package.json'));
  return {
    name: 'externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path }) => {
        const name = names.find((candidate) => path === candidate || path.startsWith(`${candidate}/`));
        if (!name) return undefined;
        if (path === name) return { path, external: true };
        const file = require.resolve(path);
        const dir = `/node_modules/${name}/`;
        return { path: `${name}/${file.slice(file.lastIndexOf(dir) + dir.length)}`, external: true };
      });
    },
  };
}

async function library(out: string, entry: string, platform: 'node' | 'browser', external: readonly string[], plugins: readonly Plugin[] = []): Promise<void> {
  await build({
    entryPoints: { index: join(ROOT, entry) },
    outdir: join(out, 'dist'),
    bundle: true,
    format: 'esm',
    platform,
    target: platform === 'node' ? 'node20' : 'es2020',
    plugins: [...plugins, externals(external)],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const types = await rollup({
    input: { index: join(ROOT, entry) },
    plugins: [dts({ compilerOptions: { baseUrl: ROOT, paths: SHARED_PATHS } })],
    // Node's own modules and the dependencies stay imports (consumers have their types).
    onwarn: (warning, warn) => (warning.code === 'UNRESOLVED_IMPORT' ? undefined : warn(warning)),
  });
  await types.write({ dir: join(out, 'dist'), format: 'es' });
}

/** XML signatures (xml-crypto, xmldom), CMS (pkijs, asn1js), the PDF signature objects' serialiser (@signpdf/utils), the wire schemas (valibot). */
const VERIFIER_DEPENDENCIES = ['xml-crypto', '@xmldom/xmldom', 'valibot', 'pkijs', 'asn1js', '@signpdf/utils'] as const;

export const NPM_PACKAGES: readonly NpmPackage[] = [
  {
    dir: 'verifier',
    dependencies: VERIFIER_DEPENDENCIES,
    make: async (out) => {
      await library(out, 'relying-party/src/index.ts', 'node', VERIFIER_DEPENDENCIES);
      // The J-LIS roots, as files: the verifier finds them beside its code (trust-anchors.ts).
      cpSync(join(ROOT, 'relying-party/src/verifier/roots'), join(out, 'dist/roots'), { recursive: true });
      // The login-token test vectors, for verifiers in other languages (docs/verifier-other-languages.md).
      cpSync(join(ROOT, 'relying-party/test-vectors'), join(out, 'test-vectors'), { recursive: true });
    },
  },
  {
    dir: 'page',
    // Only its declarations import valibot (the wire types are inferred from its schemas).
    dependencies: ['valibot'],
    make: (out) => library(out, 'relying-party/src/page/index.ts', 'browser', []),
  },
  {
    dir: 'cli',
    dependencies: ['pcsclite'],
    make: async (out) => {
      cpSync(join(ROOT, 'native-host/dist'), join(out, 'dist'), { recursive: true });
      mkdirSync(join(out, 'bin'), { recursive: true });
      copyFileSync(join(ROOT, 'native-host/bin/jpki-bridge.mjs'), join(out, 'bin/jpki-bridge.mjs'));
    },
  },
  {
    dir: 'testing',
    // jpki-bridge: the host and the virtual card it starts; pcsclite: tools/dev's PC/SC client;
    // node-forge: the virtual card's state module (its development CA) imports it.
    dependencies: ['jpki-bridge', 'puppeteer-core', 'pcsclite', 'node-forge'],
    make: async (out) => {
      await library(out, 'packages/testing/src/index.ts', 'node', ['jpki-bridge', 'puppeteer-core', 'pcsclite', 'node-forge'], [installedLayout]);
      copyKeyedExtension(out);
    },
  },
];

/** What every published package takes from the root package.json: the project's one statement of these. */
interface ProjectManifest {
  license: string;
  homepage: string;
  repository: { type: string; url: string };
  bugs: { url: string };
  devDependencies: Record<string, string>;
}

/** The license and where the project lives, with `repository.directory` naming the package's own folder. */
function projectFields(root: ProjectManifest, dir: string) {
  return { license: root.license, homepage: root.homepage, repository: { ...root.repository, directory: `packages/${dir}` }, bugs: root.bugs };
}

export async function buildNpmPackages(stageDir: string): Promise<string[]> {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as ProjectManifest;
  const tarballs: string[] = [];
  for (const pkg of NPM_PACKAGES) {
    const out = join(stageDir, pkg.dir);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    await pkg.make(out);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg.dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    const dependencies = Object.fromEntries(
      pkg.dependencies.map((name) => {
        // One of ours (the CLI, for the testing package): exactly this release.
        const range = name === 'jpki-bridge' ? VERSION : root.devDependencies[name];
        if (!range) throw new Error(`packages/${pkg.dir}: ${name} is not in the root package.json`);
        return [name, range];
      }),
    );
    writeFileSync(
      join(out, 'package.json'),
      `${JSON.stringify({ name: manifest.name, version: VERSION, ...manifest, ...projectFields(root, pkg.dir), dependencies }, null, 2)}\n`,
    );
    copyFileSync(join(ROOT, 'packages', pkg.dir, 'README.md'), join(out, 'README.md'));
    copyFileSync(join(ROOT, 'LICENSE'), join(out, 'LICENSE'));
    // npm pack prints the tarball's name last.
    const name = capture('npm', ['pack', '--pack-destination', DIST, '--silent'], { cwd: out }).trim().split('\n').pop()!;
    tarballs.push(join(DIST, name));
  }
  return tarballs;
}
