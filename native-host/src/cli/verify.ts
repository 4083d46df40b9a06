/**
 * `jpki-bridge verify FILE [SIGNATURE] [--trust CA.pem]`: who signed what and whether it holds.
 * A PDF is checked whole (every signature in it); any other file against SIGNATURE, or FILE.p7s.
 * Trusts the J-LIS roots shipped with the verifier, or the PEM given with --trust (e.g. the
 * virtual card's development CA, whose test policy is then accepted too). Revocation is not
 * checked here (J-LIS serves it to certified verifiers only: docs/verifier.md), and it says so.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyDetachedCms, type CmsResult } from '@jpki-bridge/relying-party';
import { verifyPdf } from '@jpki-bridge/relying-party';
import { JPKI_POLICY_OIDS, JPKI_TEST_POLICY_OIDS, JpkiVerifier, loadTrustAnchors, mergePolicies } from '@jpki-bridge/relying-party';
import { describeSigner } from '../documents/describe-signer.ts';
import { describeError } from '../documents/describe-error.ts';
import { isPdf } from '../documents/document-kind.ts';
import { subcommandUsage } from './route.ts';

const USAGE = subcommandUsage('verify');

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { trust: { type: 'string', multiple: true } } });
  } catch (error) {
    process.stderr.write(`jpki-bridge verify: ${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  const [file, signatureFile, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    process.stderr.write(USAGE);
    return 64;
  }
  try {
    const trust = parsed.values.trust;
    const verifier = new JpkiVerifier({
      ...(trust ? { trustAnchors: loadTrustAnchors(trust), policies: mergePolicies(JPKI_POLICY_OIDS, JPKI_TEST_POLICY_OIDS) } : {}),
      revocation: 'not-checked',
    });
    const content = await readFile(file);
    const results: CmsResult[] = [];
    let verdict: { ok: boolean; code?: string; message?: string };
    if (isPdf(content) && signatureFile === undefined) {
      const pdf = await verifyPdf(verifier, content);
      results.push(...pdf.signatures.map((s) => s.result));
      verdict = pdf;
    } else {
      const result = await verifyDetachedCms(verifier, await readFile(signatureFile ?? `${file}.p7s`), { bytes: content });
      results.push(result);
      verdict = result;
    }
    for (const [i, result] of results.entries()) process.stdout.write(`${describeResult(results.length > 1 ? `#${i + 1} ` : '', result)}\n`);
    if (!verdict.ok) {
      process.stdout.write(`署名は無効です / the signature does not hold: ${verdict.code}: ${verdict.message}\n`);
      return 1;
    }
    process.stdout.write('署名は有効です / the signature holds (失効は未確認 / revocation not checked)\n');
    return 0;
  } catch (error) {
    process.stderr.write(`jpki-bridge verify: ${describeError(error)}\n`);
    return 64;
  }
}

function describeResult(label: string, result: CmsResult): string {
  if (!result.ok) return `${label}無効 / invalid: ${result.code}`;
  const time = result.signingTime ? `\n署名時刻 (署名者の申告) / signing time (claimed): ${result.signingTime.toISOString()}` : '';
  return `${label}${describeSigner(Buffer.from(result.certificateInfo.certificate, 'base64'))}${time}`;
}
