/**
 * The lint configuration (biome.jsonc) rejects what it is there to reject, wherever the source
 * lives. Biome gives no diagnostics for stdin, so the files are planted in a scratch copy: a
 * temporary git repository holding the project's biome.jsonc and .gitignore, laid out like the
 * tree. Floating promises are typescript-eslint's (eslint.config.js): its check runs on a small
 * typed project beside them, the promises of Node's built-in modules included (which Biome's
 * own rule misses).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIOME = join(ROOT, 'node_modules/.bin/biome');
const ESLINT = join(ROOT, 'node_modules/.bin/eslint');

/** Every folder of the tree that holds source. */
const SOURCE_ROOTS = [
  'extension/src',
  'extension/entrypoints',
  'native-host/src',
  'shared/src',
  'relying-party/src',
  'tools/dev',
  'test/unit',
  'examples/express-login',
  'examples/fastify-login',
  'demo',
  'packages/cli',
];

const WITH_DEBUGGER = 'export function f(): number {\n  debugger;\n  return 1;\n}\n';
const CLEAN = 'export function f(): number {\n  return 1;\n}\n';

interface Diagnostic {
  category: string;
  location: { path: string | { file: string } };
}

let dir: string;
let diagnostics: Diagnostic[];

const fileOf = (d: Diagnostic) => (typeof d.location.path === 'string' ? d.location.path : d.location.path.file);
const found = (category: string, file: string) => diagnostics.some((d) => d.category === category && fileOf(d) === file);

function plant(file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jpki-bridge-lint-'));
  copyFileSync(join(ROOT, 'biome.jsonc'), join(dir, 'biome.jsonc'));
  copyFileSync(join(ROOT, '.gitignore'), join(dir, '.gitignore'));
  await run('git', ['init', '-q'], { cwd: dir });
  for (const root of SOURCE_ROOTS) {
    plant(`${root}/planted-debugger.ts`, WITH_DEBUGGER);
    plant(`${root}/clean.ts`, CLEAN);
  }
  plant('native-host/src/planted.js', 'debugger;\n');
  plant('extension/src/options/Planted.tsx', 'export function Planted() {\n  debugger;\n  return <p>x</p>;\n}\n');
  plant('shared/src/unused-import.ts', "import { f } from './clean.ts';\n\nexport const one = 1;\n");
  plant('native-host/src/cycle-a.ts', "import { b } from './cycle-b.ts';\n\nexport const a = (): number => b() + 1;\n");
  plant('native-host/src/cycle-b.ts', "import { a } from './cycle-a.ts';\n\nexport const b = (): number => a() - 1;\n");
  plant('native-host/dist/built.js', 'debugger;\n'); // ignored through .gitignore, as in the tree
  // Exit code 1 when anything is found; the JSON report is on stdout either way.
  const result = await run(BIOME, ['lint', '--reporter=json', '--max-diagnostics=none', '.'], { cwd: dir }).catch((error: { stdout: string }) => error);
  diagnostics = (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run lint (biome.jsonc)', () => {
  it.each(SOURCE_ROOTS)('rejects a planted `debugger;` under %s/, and passes a clean file beside it', (root) => {
    expect(found('lint/suspicious/noDebugger', `${root}/planted-debugger.ts`)).toBe(true);
    expect(diagnostics.filter((d) => fileOf(d) === `${root}/clean.ts`)).toEqual([]);
  });

  it('rejects `debugger;` in JavaScript and TSX too', () => {
    expect(found('lint/suspicious/noDebugger', 'native-host/src/planted.js')).toBe(true);
    expect(found('lint/suspicious/noDebugger', 'extension/src/options/Planted.tsx')).toBe(true);
  });

  it('rejects an unused import', () => {
    expect(found('lint/correctness/noUnusedImports', 'shared/src/unused-import.ts')).toBe(true);
  });

  it('rejects an import cycle between two files, in both of them', () => {
    expect(found('lint/suspicious/noImportCycles', 'native-host/src/cycle-a.ts')).toBe(true);
    expect(found('lint/suspicious/noImportCycles', 'native-host/src/cycle-b.ts')).toBe(true);
  });

  it('leaves out what git ignores (build output)', () => {
    expect(diagnostics.some((d) => fileOf(d).startsWith('native-host/dist/'))).toBe(false);
  });
});

describe('npm run lint (eslint.config.js)', () => {
  const FLOATING = `import { rm } from 'node:fs/promises';

async function local(): Promise<number> {
  return 1;
}

export async function planted(): Promise<void> {
  rm('/nonexistent/a');
  local();
  Promise.resolve(1).then(() => 2);
  void rm('/nonexistent/b'); // marked as left running on purpose
  await local();
}
`;

  it("rejects a floating promise, from Node's built-ins as from our own code, and accepts one awaited or marked with void", async () => {
    const project = mkdtempSync(join(tmpdir(), 'jpki-bridge-eslint-'));
    try {
      copyFileSync(join(ROOT, 'eslint.config.js'), join(project, 'eslint.config.js'));
      symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
      writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
      const compilerOptions = { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', types: ['node'], noEmit: true };
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
      writeFileSync(join(project, 'planted.ts'), FLOATING);
      const result = await run(ESLINT, ['--format', 'json', 'planted.ts'], { cwd: project }).catch((error: { stdout: string }) => error);
      const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; line: number }[] }[];
      expect(report!.messages.map((m) => [m.ruleId, m.line])).toEqual([
        ['@typescript-eslint/no-floating-promises', 8],
        ['@typescript-eslint/no-floating-promises', 9],
        ['@typescript-eslint/no-floating-promises', 10],
      ]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 60_000); // about 3 s of CPU (the type checker starting); more on a loaded machine
});
