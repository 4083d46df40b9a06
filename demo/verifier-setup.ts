/**
 * The demo's verifier: trusts the development CA of the virtual card it serves (read from the
 * card's state file, as a developer would export EF 000B/0002), plus the real J-LIS roots the
 * verifier ships (relying-party/src/verifier/roots, fingerprint-pinned), and accepts both the
 * production and the test policy OIDs. A production site uses the shipped roots (the default)
 * and the production OIDs (see docs/verifier.md).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  JpkiVerifier,
  JPKI_POLICY_OIDS,
  JPKI_TEST_POLICY_OIDS,
  loadTrustAnchors,
  mergePolicies,
  trustAnchorsFrom,
  type TrustAnchor,
} from '@jpki-bridge/relying-party';

export interface DemoVerifierOptions {
  origin: string;
  cardStateFile: string;
  /** A directory of real JPKI roots (PEM); loaded with pinning when it exists. */
  realRootsDir?: string;
}

export async function createDemoVerifier(options: DemoVerifierOptions): Promise<{ verifier: JpkiVerifier; anchors: TrustAnchor[] }> {
  const state = JSON.parse(await readFile(options.cardStateFile, 'utf8')) as { ca: { auth: { certificate: string }; sign: { certificate: string } } };
  const anchors: TrustAnchor[] = [
    ...trustAnchorsFrom(Buffer.from(state.ca.auth.certificate, 'base64'), 'virtual card: development CA (auth)'),
    ...trustAnchorsFrom(Buffer.from(state.ca.sign.certificate, 'base64'), 'virtual card: development CA (sign)'),
  ];
  if (options.realRootsDir && existsSync(options.realRootsDir)) {
    const files = readdirSync(options.realRootsDir).filter((name) => name.endsWith('.pem'));
    anchors.push(
      ...loadTrustAnchors(
        files.map((name) => join(options.realRootsDir!, name)),
        { pin: true },
      ),
    );
  }
  const verifier = new JpkiVerifier({
    trustAnchors: anchors,
    policies: mergePolicies(JPKI_POLICY_OIDS, JPKI_TEST_POLICY_OIDS),
    origin: options.origin,
    revocation: 'not-checked', // the demo is no certified verifier: J-LIS would not answer it
  });
  return { verifier, anchors };
}
