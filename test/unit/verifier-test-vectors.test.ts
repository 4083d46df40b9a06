/**
 * The login-token test vectors shipped in @jpki-bridge/verifier (relying-party/test-vectors/,
 * made by tools/dev/make-test-vectors.ts from the virtual card), checked by three verifiers that
 * share no code: this package's JpkiVerifier, the Python recipe (docs/recipes/verify_token.py,
 * Debian's python3-cryptography) and the Java recipe (docs/recipes/VerifyToken.java, the JDK alone).
 * Every one must reach every vector's expected verdict. /usr/bin/python3: Debian's interpreter, whose
 * cryptography is python3-cryptography (a pyenv or venv python3 earlier on PATH would bring its own). Nothing is skipped: CI installs python3-cryptography
 * and default-jdk-headless (.ci/apt-packages).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom, type NonceStore } from '../../relying-party/src/index.ts';
import { ROOT } from '../../tools/dev/checkout.ts';
import { TEST_VECTORS_FILE, type TestVectorFile } from '../../tools/dev/make-test-vectors.ts';

const file = JSON.parse(readFileSync(TEST_VECTORS_FILE, 'utf8')) as TestVectorFile;
const expected = Object.fromEntries(file.vectors.map((v) => [v.name, v.expected]));
const work = mkdtempSync(join(tmpdir(), 'jpki-vectors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { cwd: work, input, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

describe('the login-token test vectors', () => {
  it('hold a valid token and forgeries of every kind', () => {
    expect(file.vectors.filter((v) => v.expected === 'valid').map((v) => v.name)).toEqual(['valid']);
    expect(file.vectors.length).toBeGreaterThanOrEqual(10);
    for (const v of file.vectors) expect(v.chain[0], v.name).toBe(v.token.unverifiedCertificate);
  });

  it('JpkiVerifier reaches every expected verdict', async () => {
    for (const v of file.vectors) {
      // The vector's nonce stands for the one the site issued: accepted once.
      let used = false;
      const nonceStore: NonceStore = {
        issue: async () => v.challengeNonce,
        consume: async (n) => (n === v.challengeNonce && !used ? ((used = true), 'ok') : 'unknown'),
      };
      const verifier = new JpkiVerifier({
        trustAnchors: file.trustAnchors.flatMap((pem, i) => trustAnchorsFrom(pem, `vector anchor ${i}`)),
        policies: JPKI_TEST_POLICY_OIDS,
        origin: v.origin,
        nonceStore,
        revocation: 'not-checked',
        now: () => new Date(file.verifyAt),
      });
      const result = await verifier.verifyAuthToken(v.token, { nonce: v.challengeNonce });
      expect(result.ok ? 'valid' : 'invalid', `${v.name}${result.ok ? '' : `: ${result.code}`}`).toBe(v.expected);
    }
  });

  it('the Python recipe (cryptography) reaches every expected verdict', () => {
    const lines = run('/usr/bin/python3', [join(ROOT, 'docs/recipes/verify_token.py'), TEST_VECTORS_FILE])
      .trim()
      .split('\n');
    const verdicts = Object.fromEntries(lines.map((line) => JSON.parse(line) as { name: string; verdict: string }).map((r) => [r.name, r.verdict]));
    expect(verdicts).toEqual(expected);
  });

  it('the Java recipe (the JDK alone) reaches every expected verdict', () => {
    run('javac', ['-d', work, join(ROOT, 'docs/recipes/VerifyToken.java')]);
    writeFileSync(join(work, 'anchors.pem'), file.trustAnchors.join(''));
    const tsv = file.vectors
      .map((v) => [v.name, v.origin, v.challengeNonce, v.token.format, v.token.algorithm, v.token.unverifiedCertificate, v.token.signature].join('\t'))
      .join('\n');
    const out = run('java', ['-cp', work, 'VerifyToken', join(work, 'anchors.pem'), file.verifyAt, file.authPolicyOid], `${tsv}\n`);
    const verdicts = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((line) => line.split('\t').slice(0, 2)),
    );
    expect(verdicts).toEqual(expected);
  }, 120_000);
});
