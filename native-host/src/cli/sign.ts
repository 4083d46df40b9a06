/**
 * `jpki-bridge sign FILE [--out OUT] [--card pcsc|pcsc:READER|virtual:FILE] [--reason TEXT] [--confirm-last-try]`:
 * a PDF gets its signature inside a signed copy (`FILE-signed.pdf`), any other file a detached
 * CAdES-BES signature (`FILE.p7s`). The signing password (署名用パスワード) is read from the
 * terminal without echo, or from the first line of stdin when that is not a terminal — never argv.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signDetached } from '@jpki-bridge/relying-party';
import { embedPdfSignature, preparePdf } from '@jpki-bridge/relying-party';
import { createBackend, parseCardSpec } from '../card/create-backend.ts';
import { withCardSigner } from '../documents/card-signer.ts';
import { describeSigner } from '../documents/describe-signer.ts';
import { defaultOutput, isPdf } from '../documents/document-kind.ts';
import { describeError } from '../documents/describe-error.ts';
import { PIN_PROMPTS, secretReader } from './read-secret.ts';
import { subcommandUsage } from './route.ts';

const USAGE = subcommandUsage('sign');

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, card: { type: 'string' }, reason: { type: 'string' }, 'confirm-last-try': { type: 'boolean' } },
    });
  } catch (error) {
    process.stderr.write(`jpki-bridge sign: ${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    process.stderr.write(USAGE);
    return 64;
  }
  let backend;
  let content: Buffer;
  try {
    backend = createBackend(parseCardSpec(parsed.values.card));
    content = await readFile(file);
  } catch (error) {
    process.stderr.write(`jpki-bridge sign: ${(error as Error).message}\n`);
    return 64;
  }
  const pdf = isPdf(content);
  const out = parsed.values.out ?? defaultOutput(file, pdf);
  const secrets = secretReader();
  try {
    // Prepared before the password is asked: a PDF this cannot sign costs no try of the card.
    const prepared = pdf ? preparePdf(content, { reason: parsed.values.reason ?? '', signingTime: new Date() }) : null;
    const contentDigest = prepared ? prepared.digest : new Uint8Array(createHash('sha256').update(content).digest());
    const password = await secrets.read(PIN_PROMPTS.sign);
    const { signature, certificate } = await withCardSigner(backend, password, { confirmLastTry: parsed.values['confirm-last-try'] }, async (signer) => ({
      signature: await signDetached({ contentDigest, certificates: [signer.certificate], sign: signer.sign }),
      certificate: signer.certificate,
    }));
    await writeFile(out, prepared ? embedPdfSignature(prepared, signature) : signature, { flag: 'wx' });
    process.stdout.write(`${describeSigner(certificate)}\n署名を書きました / signature written: ${out}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`jpki-bridge sign: ${describeError(error)}\n`);
    return 1;
  } finally {
    secrets.close();
    await backend.close();
  }
}
