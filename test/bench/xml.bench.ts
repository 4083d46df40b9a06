/**
 * What verifyXmlSignature costs on the documents of issue 10 finding 2 (before the fix: a forged
 * 252 KiB document 22 s, 20 000-deep nesting 36 s, a validly signed 1 MiB document 376 s), and on
 * the largest document the bounds let through, validly signed. Target: the unauthenticated cases
 * well under a second. Wall and CPU time, median of 5 (the machine is shared).
 */
import { buildDigestInfo } from '@jpki-bridge/shared';
import { completeXmlSignature, prepareXmlSignature, verifyXmlSignature, XML_LIMITS } from '../../relying-party/src/index.ts';
import { makeTestPki, signDigestInfo } from '../unit/verifier-fixtures.ts';
import { deepForgedDocument, wideForgedDocument } from '../unit/xml-fixtures.ts';

const RUNS = 5;

function measure(xml: string): { wall: number; cpu: number; valid: boolean; reason: string | null } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let last = verifyXmlSignature(xml);
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    last = verifyXmlSignature(xml);
    walls.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { wall: median(walls), cpu: median(cpus), valid: last.valid, reason: last.reason };
}

export async function run(): Promise<void> {
  const pki = makeTestPki();
  // The largest document the bounds admit, in the demo's shape: ~1 MiB, ~20 000 elements.
  const items = XML_LIMITS.maxElements - 20;
  const large = `<TaxReturn>${`<Item code="A">${'5'.repeat(30)}</Item>`.repeat(items)}</TaxReturn>`;
  const prepared = prepareXmlSignature(large);
  const signed = completeXmlSignature(
    prepared,
    signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.from(prepared.hash, 'base64'))),
    pki.sign.certificate,
  );
  const cases: [string, string][] = [
    ['forged, 252 KiB, 19 000 elements', wideForgedDocument(pki.sign.certificate, 19_000, 14)],
    ['forged, 252 KiB, 33 000 elements', wideForgedDocument(pki.sign.certificate, 33_000, 8)],
    ['forged, 20 000 deep', deepForgedDocument(pki.sign.certificate, 20_000)],
    [`validly signed, ${(signed.length / 1024).toFixed(0)} KiB, ${items} elements`, signed],
  ];
  for (const [name, xml] of cases) {
    const { wall, cpu, valid, reason } = measure(xml);
    const outcome = valid ? 'valid' : `invalid (${reason})`;
    console.log(`${name.padEnd(44)} ${wall.toFixed(0).padStart(5)} ms wall ${cpu.toFixed(0).padStart(5)} ms CPU  ${outcome}`);
  }
  console.log('target: unauthenticated documents well under 1 000 ms (before: 22 s and 36 s)');
}
