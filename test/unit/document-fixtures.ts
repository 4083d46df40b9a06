/**
 * A signer for the document tests: a virtual card (adult persona) in a state file, driven through
 * the CLI's own card signer over the in-process backend — the same JPKI APDUs and policy steps as
 * through pcscd — and a verifier that trusts that card's development CA.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createVirtualBackend } from '../../native-host/src/card/virtual-backend.ts';
import { withCardSigner, type CardSigner } from '../../native-host/src/documents/card-signer.ts';
import { createCardState, DEFAULT_PINS, devCaRoots, saveCardState, type VirtualCardState } from '../../native-host/src/virtual-card/index.ts';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';

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

export async function makeDocumentSigner(persona: 'adult' | 'expired' = 'adult'): Promise<DocumentSigner> {
  const dir = await mkdtemp(join(tmpdir(), 'jpki-documents-'));
  const state = await createCardState({ persona });
  const stateFile = join(dir, 'card.json');
  await saveCardState(stateFile, state);
  const caFile = join(dir, 'devca.pem');
  await writeFile(caFile, devCaRoots(state).sign);
  const verifier = new JpkiVerifier({ trustAnchors: trustAnchorsFrom(devCaRoots(state).sign, 'virtual card dev CA'), policies: JPKI_TEST_POLICY_OIDS, revocation: 'not-checked' });
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

const run = promisify(execFile);

/** Runs a peer tool (openssl, pdfsig, qpdf, xmlsec1): its exit code and output, never a throw. */
export async function peer(command: string, args: readonly string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { maxBuffer: 64 << 20 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A copy of `bytes` with one byte changed at `offset` (default: the middle). */
export function flipOneByte(bytes: Uint8Array, offset = Math.floor(bytes.length / 2)): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[offset] = copy[offset]! ^ 0x01;
  return copy;
}
