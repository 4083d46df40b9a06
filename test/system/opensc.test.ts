/**
 * Interoperability: OpenSC's own `jpki` driver, unchanged, accepts the virtual card (see docs/virtual-card.md).
 * If these fail while our tests pass, the card is not faithful enough — fix the card, not OpenSC.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePcscd } from '../../tools/dev/pcscd.ts';
import { VIRTUAL_PINS } from '../../tools/dev/personas.ts';
import { acquireReaders, releaseReaders } from '../../tools/dev/reader-lock.ts';
import { createCardState, serveCard, type ServedCard } from '../../tools/dev/virtual-card.ts';

const run = promisify(execFile);
const PKCS11 = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';

let pcscd: Awaited<ReturnType<typeof ensurePcscd>>;
let served: ServedCard;
let work: string;

beforeAll(async () => {
  await acquireReaders(); // the whole file: other processes' tests wait (see reader-lock.ts)
  pcscd = await ensurePcscd();
  served = await serveCard({ stateFile: await createCardState(), port: 35963 });
  work = await mkdtemp(join(tmpdir(), 'jpki-opensc-'));
}, 900_000);
afterAll(async () => {
  await served?.stop();
  releaseReaders();
  await pcscd?.stop();
});

/** OpenSC tools, pinned to the reader the card is in. */
async function tool(command: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(command, args, { timeout: 60_000 });
  return stdout + stderr;
}

describe('OpenSC jpki driver', () => {
  it('pkcs15-tool -D lists the JPKI card: two PINs (3 and 5 tries) and four certificates', async () => {
    const out = await tool('pkcs15-tool', ['--reader', served.readerName, '-D']);
    expect(out).toContain('PKCS#15 Card [JPKI]');
    expect(out).toMatch(/PIN \[User Authentication PIN\][\s\S]*?Tries left\s*: 3/);
    expect(out).toMatch(/PIN \[Digital Signature PIN\][\s\S]*?Tries left\s*: 5/);
    for (const label of [
      'User Authentication Certificate',
      'Digital Signature Certificate',
      'User Authentication Certificate CA',
      'Digital Signature Certificate CA',
    ]) {
      expect(out).toContain(`X.509 Certificate [${label}]`);
    }
  });

  it('reads the authentication certificate (EF 000A) through pkcs15-tool', async () => {
    const pem = await tool('pkcs15-tool', ['--reader', served.readerName, '--read-certificate', '01']);
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    await writeFile(join(work, 'auth.pem'), pem.slice(pem.indexOf('-----BEGIN')));
    const text = await tool('openssl', ['x509', '-in', join(work, 'auth.pem'), '-noout', '-issuer']);
    expect(text).toContain('JPKI for user authentication');
  });

  it('pkcs11-tool signs with the authentication key (SHA256-RSA-PKCS) and openssl verifies the signature', async () => {
    const data = join(work, 'data.txt');
    const sig = join(work, 'sig.bin');
    await writeFile(data, 'signed through OpenSC PKCS#11\n');
    await tool('pkcs11-tool', [
      '--module',
      PKCS11,
      '--slot-index',
      '0',
      '--login',
      '--pin',
      VIRTUAL_PINS.auth,
      '--sign',
      '--mechanism',
      'SHA256-RSA-PKCS',
      '--id',
      '01',
      '-i',
      data,
      '-o',
      sig,
    ]);
    await tool('openssl', ['x509', '-in', join(work, 'auth.pem'), '-pubkey', '-noout', '-out', join(work, 'pubkey.pem')]);
    const verified = await tool('openssl', ['dgst', '-sha256', '-verify', join(work, 'pubkey.pem'), '-signature', sig, data]);
    expect(verified).toContain('Verified OK');
    const commands = await served.traceCommands();
    expect(commands).toContain('0020008004********'); // OpenSC's VERIFY, PIN masked
    expect(commands.some((c) => c.startsWith('802a0080'))).toBe(true);
  });

  it('pkcs11-tool signs with the signing key after the signing PIN; the signing certificate verifies it', async () => {
    const data = join(work, 'data2.txt');
    const sig = join(work, 'sig2.bin');
    const certDer = join(work, 'sign.der');
    await writeFile(data, 'a document for the signing key\n');
    const slot = ['--module', PKCS11, '--slot-index', '1', '--login', '--pin', VIRTUAL_PINS.sign];
    await tool('pkcs11-tool', [...slot, '--sign', '--mechanism', 'SHA256-RSA-PKCS', '--id', '02', '-i', data, '-o', sig]);
    await tool('pkcs11-tool', [...slot, '--read-object', '--type', 'cert', '--id', '02', '-o', certDer]);
    await tool('openssl', ['x509', '-inform', 'DER', '-in', certDer, '-pubkey', '-noout', '-out', join(work, 'sign-pub.pem')]);
    const verified = await tool('openssl', ['dgst', '-sha256', '-verify', join(work, 'sign-pub.pem'), '-signature', sig, data]);
    expect(verified).toContain('Verified OK');
  });
});
