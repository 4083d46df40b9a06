/**
 * The native classes of `pcsclite`, loaded on first use (a cold start that never touches a card
 * must not pay for a native addon). We use the addon's classes directly rather than the
 * package's wrapper: the wrapper starts a status thread per reader and has no "listing finished"
 * signal, which a one-shot command needs.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { JpkiError } from '@jpki-bridge/shared/errors';

export interface NativePcscLite {
  /** Calls back with the NUL-separated reader list now and after every reader change, or an error (then stops). */
  start(callback: (error: Error | undefined, readers?: Buffer) => void): void;
  close(): number;
}

export interface NativeCardReader {
  readonly name: string;
  readonly connected: boolean;
  _connect(shareMode: number, protocols: number, callback: (error: Error | null, protocol: number) => void): void;
  _transmit(data: Buffer, maxResponse: number, protocol: number, callback: (error: Error | null, response: Buffer) => void): void;
  _disconnect(disposition: number, callback: (error: Error | null) => void): void;
}

export interface PcscBinding {
  PCSCLite: new () => NativePcscLite;
  CardReader: new (name: string) => NativeCardReader;
}

/** pcsc-lite's values (winscard.h / pcsclite.h); the same on Windows and macOS for these. */
export const SHARE_EXCLUSIVE = 1;
export const SHARE_SHARED = 2;
export const PROTOCOL_T0 = 1;
export const PROTOCOL_T1 = 2;
export const LEAVE_CARD = 0;
export const RESET_CARD = 1;

let binding: PcscBinding | null = null;

export function loadPcsc(): PcscBinding {
  if (binding) return binding;
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('pcsclite/package.json'));
    const fromPackage = createRequire(join(packageDir, 'index.js'));
    // The wrapper module copies EventEmitter onto the native classes; the addon calls `emit` on them.
    fromPackage(packageDir);
    binding = fromPackage('bindings')({ bindings: 'pcsclite', module_root: packageDir }) as PcscBinding;
    return binding;
  } catch (error) {
    throw new JpkiError('ERR_JPKI_PCSC_UNAVAILABLE', `the pcsclite module could not be loaded: ${(error as Error).message}`);
  }
}
