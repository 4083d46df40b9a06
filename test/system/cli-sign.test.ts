/**
 * `jpki-bridge sign` and `jpki-bridge verify` as a resident runs them, against the virtual card
 * behind the real pcscd + vpcd (`--card pcsc`): the password from stdin, one VERIFY and one
 * signature on the card, and the results checked by OpenSSL and poppler's pdfsig.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../native-host/src/virtual-card/dev-ca.ts';
import { ensureBuilt, HOST_BIN, ROOT } from '../../tools/dev/checkout.ts';
import { makeSamplePdf } from '../../tools/dev/sample-pdf.ts';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';
import { flipOneByte, peer } from '../harness/document-peers.ts';

let pcscd: Awaited<ReturnType<typeof ensurePcscd>>;
let served: ServedCard | undefined;
let dir: string;
let stateFile: string;
let caFile: string;

/** The CLI with `stdin` piped in (not a terminal: the password is its first line). */
function cli(args: readonly string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HOST_BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(stdin);
  });
}

/** VERIFY with a PIN (00 20 00 80 + data; without data it only reads the counter) and COMPUTE DIGITAL SIGNATURE (80 2a). */
const verifies = (commands: string[]) => commands.filter((c) => c.startsWith('00200080') && c.length > 8).length;
const signatures = (commands: string[]) => commands.filter((c) => c.startsWith('802a')).length;

/** The card in reader 00 00 for this test (the CLI finds it through pcscd, as on a resident's machine). */
async function serve(): Promise<ServedCard> {
  served = await serveCard({ stateFile });
  return served;
}

afterEach(async () => {
  await served?.stop();
  served = undefined;
});
afterAll(async () => {
  await pcscd?.stop();
});

beforeAll(async () => {
  ensureBuilt(['host']);
  pcscd = await ensurePcscd();
  dir = await mkdtemp(join(tmpdir(), 'jpki-cli-sign-'));
  stateFile = await createCardState({ dir });
  caFile = join(dir, 'devca.pem');
  await writeFile(caFile, toPem(JSON.parse(await readFile(stateFile, 'utf8')).ca.sign.certificate));
}, 120_000);

describe('jpki-bridge sign / verify through pcscd', () => {
  it('signs a file into FILE.p7s with one VERIFY and one signature; OpenSSL and verify accept it, and refuse one changed byte', async () => {
    const card = await serve();
    const file = join(dir, 'return.xml');
    await writeFile(file, '<申告書>所得税 2026</申告書>\n');
    const signed = await cli(['sign', file, '--card', 'pcsc'], 'ABC123\n');
    expect(signed.err).toBe('');
    expect(signed.code).toBe(0);
    expect(signed.out).toContain('署名者 / signer: デジタル 太郎');
    expect(signed.out).toMatch(/証明書の有効期間 \/ certificate valid: \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d/);
    const commands = await card.traceCommands();
    expect(verifies(commands)).toBe(1);
    expect(signatures(commands)).toBe(1);

    const openssl = await peer('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      `${file}.p7s`,
      '-content',
      file,
      '-CAfile',
      caFile,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(openssl.out).toMatch(/Verification successful/);
    const verified = await cli(['verify', file, '--trust', caFile]);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('署名者 / signer: デジタル 太郎');
    expect(verified.out).toContain('署名は有効です / the signature holds');

    await writeFile(file, flipOneByte(await readFile(file)));
    const tampered = await cli(['verify', file, `${file}.p7s`, '--trust', caFile]);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('DIGEST_MISMATCH');
  });

  it('signs a PDF into FILE-signed.pdf that pdfsig reports valid and verify accepts', async () => {
    await serve();
    const file = join(dir, 'application.pdf');
    await writeFile(file, makeSamplePdf({ text: 'Application form' }));
    const signed = await cli(['sign', file, '--card', 'pcsc', '--reason', '申請'], 'abc123\n');
    expect(signed.code).toBe(0);
    const out = join(dir, 'application-signed.pdf');
    expect(signed.out).toContain(`signature written: ${out}`);
    const pdfsig = await peer('pdfsig', [out]);
    expect(pdfsig.out).toMatch(/Signature Validation: Signature is Valid\./);
    expect(pdfsig.out).toMatch(/Total document signed/);
    const verified = await cli(['verify', out, '--trust', caFile]);
    expect(verified.out).toContain('署名は有効です');
    expect(verified.code).toBe(0);
  });

  it('a malformed password never reaches the card; a wrong one costs one try and says how many are left', async () => {
    const card = await serve();
    const file = join(dir, 'note.txt');
    await writeFile(file, 'note\n');
    const malformed = await cli(['sign', file, '--card', 'pcsc', '--out', join(dir, 'a.p7s')], 'abc\n');
    expect(malformed.code).toBe(1);
    expect(malformed.err).toContain('ERR_JPKI_PIN_FORMAT');
    expect(verifies(await card.traceCommands())).toBe(0);

    const wrong = await cli(['sign', file, '--card', 'pcsc', '--out', join(dir, 'b.p7s')], 'WRONG9\n');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/ERR_JPKI_PIN_INCORRECT.*残り 4 回/);
    expect(wrong.err).not.toContain('WRONG9');
  });

  it('refuses a password given as an argument: it would be visible to every user in ps', async () => {
    const file = join(dir, 'argv.txt');
    await writeFile(file, 'x\n');
    const result = await cli(['sign', file, 'ABC123', '--card', 'pcsc']);
    expect(result.code).toBe(64);
    expect(result.err).toContain('usage: jpki-bridge sign FILE');
  });
});
