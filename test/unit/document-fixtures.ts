/**
 * A signer for the document tests: one of the shared virtual cards (./shared-cards.ts) in a state
 * file of its own, driven through the CLI's own card signer over the in-process backend — the same
 * JPKI APDUs and policy steps as through pcscd — and a verifier that trusts that card's development CA.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualBackend } from '../../native-host/src/card/virtual-backend.ts';
import { withCardSigner, type CardSigner } from '../../native-host/src/documents/card-signer.ts';
import { DEFAULT_PINS, devCaRoots, saveCardState, type VirtualCardState } from '../../native-host/src/virtual-card/index.ts';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { sharedCardState, type SharedCard } from './shared-cards.ts';

export interface DocumentSigner {
  dir: string;
  state: VirtualCardState;
  stateFile: string;
  /** The development CA's signing root, PEM, in a file (for OpenSSL, xmlsec1, pdfsig's NSS db). */
  caFile: string;
  verifier: JpkiVerifier;
  /** One card session: VERIFY the signing password, then `fn` with the card's signer. */
  withSigner<T>(fn: (signer: CardSigner) => Promise<T>): Promise<T>;
}

export async function makeDocumentSigner(card: SharedCard = 'adult'): Promise<DocumentSigner> {
  const dir = await mkdtemp(join(tmpdir(), 'jpki-documents-'));
  const state = await sharedCardState(card);
  const stateFile = join(dir, 'card.json');
  await saveCardState(stateFile, state);
  const caFile = join(dir, 'devca.pem');
  await writeFile(caFile, devCaRoots(state).sign);
  const verifier = new JpkiVerifier({
    trustAnchors: trustAnchorsFrom(devCaRoots(state).sign, 'virtual card dev CA'),
    policies: JPKI_TEST_POLICY_OIDS,
    revocation: 'not-checked',
  });
  const backend = createVirtualBackend(stateFile);
  return {
    dir,
    state,
    stateFile,
    caFile,
    verifier,
    withSigner: (fn) => withCardSigner(backend, DEFAULT_PINS.sign, {}, fn),
  };
}
