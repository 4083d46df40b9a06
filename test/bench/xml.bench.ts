/**
 * What verifyXmlSignature and prepareXmlSignature cost on the documents of issue 10 finding 2
 * (before the fix: a forged 252 KiB document 22 s, 20 000-deep nesting 36 s, a validly signed
 * 1 MiB document 376 s) and issue 19 findings 1 and 4 (64 000 namespace declarations: 8–27 s;
 * 5 MB to prepare: 4–13 s), and on the worst documents the bounds let through — namespace and
 * attribute floods, forged and signed by a throw-away self-signed key, with exclusive and inclusive
 * c14n. Target: every document within the limits under 1 s. Wall and CPU time, median of 5 (the
 * machine is shared: wall time is inflated by the others' load).
 */
import { buildDigestInfo } from '@jpki-bridge/shared';
import { completeXmlSignature, prepareXmlSignature, verifyXmlSignature, XML_LIMITS } from '../../relying-party/src/index.ts';
import { C14N, ENVELOPED, EXC_C14N } from '../../relying-party/src/xml/algorithms.ts';
import { makeTestPki, signDigestInfo } from '../unit/verifier-fixtures.ts';
import {
  attributeFloodWithinLimits,
  deepForgedDocument,
  namespaceFloodWithinLimits,
  signWith,
  wideForgedDocument,
  withForgedSignature,
} from '../unit/xml-fixtures.ts';

const RUNS = 5;
const TARGET_MS = 1_000;

function measure(work: () => string): { wall: number; cpu: number; outcome: string } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let outcome = work();
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    outcome = work();
    walls.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { wall: median(walls), cpu: median(cpus), outcome };
}

function verifying(xml: string): () => string {
  return () => {
    const { valid, reason } = verifyXmlSignature(xml);
    return valid ? 'valid' : `invalid (${reason})`;
  };
}

function preparing(xml: string): () => string {
  return () => {
    try {
      return `prepared (${(prepareXmlSignature(xml).xml.length / 1024).toFixed(0)} KiB)`;
    } catch (error) {
      return `refused (${(error as Error).message})`;
    }
  };
}

const kib = (xml: string) => `${(Buffer.byteLength(xml) / 1024).toFixed(0)} KiB`;

export async function run(): Promise<void> {
  const pki = makeTestPki();
  // The largest document the bounds admit, in the demo's shape: ~1 MiB, ~20 000 elements.
  const items = XML_LIMITS.maxElements - 40;
  const large = `<TaxReturn>${`<Item code="A">${'5'.repeat(28)}</Item>`.repeat(items)}</TaxReturn>`;
  const prepared = prepareXmlSignature(large);
  const signed = completeXmlSignature(
    prepared,
    signDigestInfo(pki.sign, buildDigestInfo('SHA-256', Buffer.from(prepared.hash, 'base64'))),
    pki.sign.certificate,
  );
  const namespaces = namespaceFloodWithinLimits(XML_LIMITS);
  const attributes = attributeFloodWithinLimits(XML_LIMITS);
  const selfSigned = (xml: string, c14n: string) => signWith(pki.sign, xml, { canonicalizationAlgorithm: c14n, transforms: [ENVELOPED, c14n] });
  const outside = `<Return ${Array.from({ length: 50_000 }, (_, i) => `xmlns:p${i.toString(36)}="u:x"`).join(' ')}/>`;

  const cases: [string, boolean, () => string][] = [
    // [name, within the limits (counts for the worst figure), work]
    ['verify: forged, 252 KiB, 19 000 elements', true, verifying(wideForgedDocument(pki.sign.certificate, 19_000, 14))],
    ['verify: forged, 252 KiB, 33 000 elements', false, verifying(wideForgedDocument(pki.sign.certificate, 33_000, 8))],
    ['verify: forged, 20 000 deep', false, verifying(deepForgedDocument(pki.sign.certificate, 20_000))],
    ['verify: forged, 50 000 namespace declarations', false, verifying(withForgedSignature(outside, pki.sign.certificate))],
    [`verify: signed, ${kib(signed)}, ${items} elements`, true, verifying(signed)],
    [`verify: forged, namespace flood ${kib(namespaces)}`, true, verifying(withForgedSignature(namespaces, pki.sign.certificate))],
    [`verify: forged, attribute flood ${kib(attributes)}`, true, verifying(withForgedSignature(attributes, pki.sign.certificate))],
    ['verify: self-signed exc-c14n, namespace flood', true, verifying(selfSigned(namespaces, EXC_C14N))],
    ['verify: self-signed inclusive c14n, namespace flood', true, verifying(selfSigned(namespaces, C14N))],
    ['verify: self-signed exc-c14n, attribute flood', true, verifying(selfSigned(attributes, EXC_C14N))],
    ['verify: self-signed inclusive c14n, attribute flood', true, verifying(selfSigned(attributes, C14N))],
    [`prepare: ${kib(large)}, ${items} elements`, true, preparing(large)],
    ['prepare: namespace flood', true, preparing(namespaces)],
    ['prepare: attribute flood', true, preparing(attributes)],
    ['prepare: 50 000 namespace declarations', false, preparing(outside)],
    ['prepare: 5 MB', false, preparing(`<Return>${'<i>1</i>'.repeat(700_000)}</Return>`)],
    ['prepare: 5 000 deep', false, preparing(`${'<a>'.repeat(5_000)}${'</a>'.repeat(5_000)}`)],
  ];
  let worst = { name: '', wall: 0, cpu: 0 };
  for (const [name, within, work] of cases) {
    const { wall, cpu, outcome } = measure(work);
    if (within && wall > worst.wall) worst = { name, wall, cpu };
    console.log(`${name.padEnd(52)} ${wall.toFixed(0).padStart(5)} ms wall ${cpu.toFixed(0).padStart(5)} ms CPU  ${outcome.slice(0, 90)}`);
  }
  console.log(`worst within the limits: ${worst.wall.toFixed(0)} ms wall, ${worst.cpu.toFixed(0)} ms CPU (${worst.name}) — target < ${TARGET_MS} ms`);
}
