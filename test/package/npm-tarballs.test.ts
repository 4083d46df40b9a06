/**
 * The npm tarballs as a site developer uses them: `npm install` of the three tarballs into a new
 * project outside the repository, then the mock host from `jpki-bridge` (install + doctor), a login
 * in Chromium made by a page that imports `@jpki-bridge/page` from that project, verified by
 * `@jpki-bridge/verifier` imported by name from that project, and the declarations of both
 * compiled by tsc against a consumer file.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ChromiumSession } from '../../tools/dev/chromium.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { enterPin } from '../../tools/dev/pin-dialog.ts';
import { serveStatic, type StaticServer } from '../../tools/dev/static-server.ts';
import { DIST, ROOT, VERSION } from '../../tools/package/paths.ts';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const rootPackage = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

let project: string;
const bin = (name: string) => join(project, 'node_modules/.bin', name);

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'jpki-site-'));
  expect(project.startsWith(ROOT)).toBe(false);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'a-site', private: true, type: 'module' }));
  const tarballs = ['jpki-bridge-verifier', 'jpki-bridge-page', 'jpki-bridge'].map((name) => join(DIST, `${name}-${VERSION}.tgz`));
  for (const tarball of tarballs) expect(existsSync(tarball), tarball).toBe(true);
  // @types/node: the verifier's declarations name Node's crypto types, as any Node library's do.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, `@types/node@${rootPackage.devDependencies['@types/node']}`], {
    cwd: project,
    stdio: 'pipe',
  });
}, 600_000);

describe('npm tarballs installed outside the repository', () => {
  it('each package has only its own dependencies, and no TypeScript or tsx to run', async () => {
    const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dependencies?: Record<string, string> }>;
    };
    expect(Object.keys(lock.packages['node_modules/@jpki-bridge/verifier']!.dependencies ?? {}).sort()).toEqual([
      '@signpdf/utils',
      '@xmldom/xmldom',
      'asn1js',
      'pkijs',
      'valibot',
      'xml-crypto',
    ]);
    expect(Object.keys(lock.packages['node_modules/@jpki-bridge/page']!.dependencies ?? {})).toEqual(['valibot']);
    expect(Object.keys(lock.packages['node_modules/jpki-bridge']!.dependencies ?? {})).toEqual(['pcsclite']);
    const installed = Object.keys(lock.packages);
    expect(installed.filter((path) => /node_modules\/(typescript|tsx|@jpki-bridge\/shared)$/.test(path))).toEqual([]);
    for (const pkg of ['@jpki-bridge/verifier', '@jpki-bridge/page', 'jpki-bridge']) {
      const files = execFileSync('find', [join(project, 'node_modules', pkg), '-name', '*.ts', '-not', '-name', '*.d.ts'], { encoding: 'utf8' });
      expect(files, pkg).toBe('');
    }
  });

  it('each package says where the project lives: repository (with its own folder), homepage and bugs', async () => {
    const root = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { homepage: string; repository: { url: string }; bugs: { url: string } };
    const folders = { '@jpki-bridge/verifier': 'packages/verifier', '@jpki-bridge/page': 'packages/page', 'jpki-bridge': 'packages/cli' };
    for (const [name, directory] of Object.entries(folders)) {
      const manifest = JSON.parse(await readFile(join(project, 'node_modules', name, 'package.json'), 'utf8')) as typeof root & {
        repository: { directory: string };
      };
      expect(manifest.repository, name).toEqual({ type: 'git', url: root.repository.url, directory });
      expect(manifest.homepage, name).toBe(root.homepage);
      expect(manifest.bugs, name).toEqual(root.bugs);
    }
  });

  it('@jpki-bridge/verifier carries the J-LIS roots as files and loads them from beside its own code', () => {
    const script = [
      "import { bundledJpkiRoots, BUNDLED_JPKI_ROOTS_DIR } from '@jpki-bridge/verifier';",
      'console.log(JSON.stringify({ dir: BUNDLED_JPKI_ROOTS_DIR, roots: bundledJpkiRoots().map((anchor) => anchor.certificate.x509.subject) }));',
    ].join('\n');
    const { dir, roots } = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' })) as {
      dir: string;
      roots: string[];
    };
    expect(dir).toBe(join(project, 'node_modules/@jpki-bridge/verifier/dist/roots/'));
    expect(roots).toHaveLength(4);
    for (const subject of roots) expect(subject).toMatch(/O=JPKI/);
  });

  describe('a login made with the page library, checked by the verifier', () => {
    let card: string;
    let chromium: ChromiumSession;
    let server: StaticServer;
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('jpki-bridge (the CLI) installs the mock host for a Chromium profile, and doctor passes', async () => {
      card = join(project, 'card.json');
      execFileSync(bin('jpki-bridge'), ['virtual-card', 'create', '--state', card], { stdio: 'pipe' });
      chromium = await launchChromium({ lang: 'en', host: false });
      // XDG_CONFIG_HOME as the browser hands it the host: install makes the installation uuid there, not in ~/.config.
      execFileSync(bin('jpki-bridge'), ['install', '--browser', 'chromium', '--user-data-dir', chromium.userDataDir, '--card', `virtual:${card}`], {
        stdio: 'pipe',
        env: { ...process.env, XDG_CONFIG_HOME: chromium.configHome },
      });
      const launcher = await readFile(join(chromium.userDataDir, 'NativeMessagingHosts/jpki-bridge-host'), 'utf8');
      expect(launcher).toContain(join(project, 'node_modules/jpki-bridge/dist/cli.mjs'));
      const doctor = spawnSync(bin('jpki-bridge'), ['doctor', '--user-data-dir', chromium.userDataDir], { encoding: 'utf8' });
      expect(doctor.stdout).toMatch(/\[OK\] カード \/ card: my-number-card/);
      expect(doctor.status, doctor.stdout).toBe(0);
    });

    it('@jpki-bridge/page (browser ESM) logs in and @jpki-bridge/verifier (Node) accepts the token once', async () => {
      await writeFile(
        join(project, 'index.html'),
        `<!doctype html><meta charset="utf-8"><script type="module">import * as jpki from '/node_modules/@jpki-bridge/page/dist/index.js'; window.jpki = jpki;</script>`,
      );
      server = await serveStatic({ root: project });
      const verifier = await startVerifier(server.url, card);
      try {
        const page = await chromium.openPage(`${server.url}/index.html`);
        await page.waitForFunction(() => 'jpki' in window);
        const exported = await page.evaluate(() => Object.keys((window as any).jpki).sort());
        expect(exported).toEqual(expect.arrayContaining(['authenticate', 'getSigningCertificate', 'sign', 'status', 'JpkiError']));

        const nonce = await verifier.ask('nonce');
        const pending = page.evaluate((n) => (window as any).jpki.authenticate(n), nonce);
        await enterPin(await chromium.waitForDialog(30_000, pending), VIRTUAL_PINS.auth);
        const token = JSON.stringify(await pending);
        expect(JSON.parse(await verifier.ask(`verify ${nonce} ${token}`))).toMatchObject({ ok: true });
        // The nonce was used up by the first check: the same token a second time is refused.
        expect(JSON.parse(await verifier.ask(`verify ${nonce} ${token}`))).toMatchObject({ ok: false, code: expect.stringMatching(/^NONCE_/) });
      } finally {
        verifier.close();
      }
    });
  });

  it('the declarations of both libraries compile in a strict consumer, and reject a wrong call', async () => {
    const site = [
      "import { authenticate, JpkiError, type AuthToken } from '@jpki-bridge/page';",
      "import { JpkiVerifier, trustAnchorsFrom, type AuthResult } from '@jpki-bridge/verifier';",
      'export async function login(verifier: JpkiVerifier): Promise<AuthResult> {',
      '  const nonce: string = await verifier.issueNonce();',
      '  const token: AuthToken = await authenticate(nonce, { timeout: 60_000 });',
      "  return verifier.verifyAuthToken(token, { nonce, origin: 'https://site.example' });",
      '}',
      "export const anchors = (pem: string) => trustAnchorsFrom(pem, 'roots.pem');",
      'export const isJpki = (error: unknown) => error instanceof JpkiError && error.code;',
    ];
    await writeFile(join(project, 'site.ts'), site.join('\n'));
    // A nonce is a string: the types are real, not `any`.
    await writeFile(join(project, 'wrong.ts'), "import { authenticate } from '@jpki-bridge/page';\nauthenticate(42);\n");
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        // skipLibCheck off: the packages' own declarations are checked too.
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          types: ['node'],
        },
        files: ['site.ts', 'wrong.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [TSC, '-p', project], { cwd: project, encoding: 'utf8' });
    const errors = tsc.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toEqual([expect.stringMatching(/^wrong\.ts\(2,14\): error TS2345/)]);
  });
});

/**
 * A Node process in the site's project that imports `@jpki-bridge/verifier` by name and answers
 * one line per question: `nonce` → a fresh nonce; `verify <nonce> <token JSON>` → the result.
 */
async function startVerifier(origin: string, cardStateFile: string) {
  const script = [
    "import { readFileSync } from 'node:fs';",
    "import { createInterface } from 'node:readline';",
    "import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, mergePolicies, JPKI_POLICY_OIDS, trustAnchorsFrom } from '@jpki-bridge/verifier';",
    // The virtual card's development CA, as a developer exports it from the card.
    `const state = JSON.parse(readFileSync(${JSON.stringify(cardStateFile)}, 'utf8'));`,
    "const anchors = trustAnchorsFrom(Buffer.from(state.ca.auth.certificate, 'base64'), 'development CA');",
    `const verifier = new JpkiVerifier({ trustAnchors: anchors, policies: mergePolicies(JPKI_POLICY_OIDS, JPKI_TEST_POLICY_OIDS), revocation: 'not-checked', origin: ${JSON.stringify(origin)} });`,
    'for await (const line of createInterface({ input: process.stdin })) {',
    "  if (line === 'nonce') console.log(await verifier.issueNonce());",
    "  else { const [, nonce, ...token] = line.split(' '); console.log(JSON.stringify(await verifier.verifyAuthToken(JSON.parse(token.join(' ')), { nonce }))); }",
    '}',
  ].join('\n');
  await writeFile(join(project, 'verifier.mjs'), script);
  const child = spawn(process.execPath, ['verifier.mjs'], { cwd: project, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async ask(question: string): Promise<string> {
      child.stdin!.write(`${question}\n`);
      const answer = await lines.next();
      if (answer.done) throw new Error('the verifier process ended');
      return answer.value;
    },
    close: () => child.kill(),
  };
}
