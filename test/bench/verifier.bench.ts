/**
 * Token verifications per second next to raw `crypto.verify` of the same signatures (target:
 * ≥ 0.8×). The raw figure is the floor of any verifier: one RSA-2048 public operation per token,
 * data precomputed, key extracted once. The verifier adds the format check, the (cached) chain,
 * validity and policy checks, the in-memory nonce store, SHA-256 of the nonce and the await of
 * an async API; the certificate's issuer signature is verified once per certificate (chain.ts).
 *
 * The two loops alternate in chunks over the same signatures, so that load from other processes
 * on a shared machine falls on both alike.
 */
import { hash, verify as cryptoVerify } from 'node:crypto';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, mergePolicies, JPKI_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/verifier/index.ts';
import { makeTestPki, makeToken } from '../unit/verifier-fixtures.ts';

const ORIGIN = 'https://login.example.jp';
const COUNT = 5_000;
const CHUNK = 250;
const ROUNDS = 5;

export async function run(): Promise<void> {
  const pki = makeTestPki();
  let best = { verifier: 0, raw: 0, ratio: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const verifier = new JpkiVerifier({
      trustAnchors: [...trustAnchorsFrom(pki.authRoot.pem, 'auth'), ...trustAnchorsFrom(pki.signRoot.pem, 'sign')],
      policies: mergePolicies(JPKI_POLICY_OIDS, JPKI_TEST_POLICY_OIDS),
      origin: ORIGIN,
      revocation: 'not-checked',
    });
    const nonces: string[] = [];
    for (let i = 0; i < COUNT; i++) nonces.push(await verifier.issueNonce());
    // Tokens as a server holds them after JSON.parse of the request body (fresh strings each).
    const tokens = nonces.map((nonce) => JSON.parse(JSON.stringify(makeToken(pki.auth, ORIGIN, nonce))) as { signature: string });
    const key = verifier.checkCertificate(pki.auth.certificate, 'auth').publicKey;
    const raw = tokens.map((token, i) => ({
      data: Buffer.concat([hash('sha256', ORIGIN, 'buffer'), hash('sha256', nonces[i]!, 'buffer')]),
      signature: Buffer.from(token.signature, 'base64'),
    }));

    let verifierNs = 0n;
    let rawNs = 0n;
    for (let from = 0; from < COUNT; from += CHUNK) {
      let start = process.hrtime.bigint();
      for (let i = from; i < from + CHUNK; i++) {
        const result = await verifier.verifyAuthToken(tokens[i], { nonce: nonces[i]! });
        if (!result.ok) throw new Error(`verification failed: ${result.code}`);
      }
      verifierNs += process.hrtime.bigint() - start;
      start = process.hrtime.bigint();
      for (let i = from; i < from + CHUNK; i++) {
        if (!cryptoVerify('sha256', raw[i]!.data, key, raw[i]!.signature)) throw new Error('raw verify failed');
      }
      rawNs += process.hrtime.bigint() - start;
    }
    const perSecond = (ns: bigint) => COUNT / (Number(ns) / 1e9);
    const figures = { verifier: perSecond(verifierNs), raw: perSecond(rawNs), ratio: Number(rawNs) / Number(verifierNs) };
    if (figures.ratio > best.ratio) best = figures;
  }
  console.log(`verifyAuthToken     ${best.verifier.toFixed(0).padStart(7)} tokens/s  (best of ${ROUNDS} rounds × ${COUNT})`);
  console.log(`raw crypto.verify   ${best.raw.toFixed(0).padStart(7)} signatures/s (same signatures, same round)`);
  console.log(`ratio               ${best.ratio.toFixed(2)}×  (target ≥ 0.80×) ${best.ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
}
