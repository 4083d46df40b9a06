/**
 * The native classes of `pcsclite`, loaded on first use (a cold start that never touches a card
 * must not pay for a native addon). We use the addon's classes directly rather than the
 * package's wrapper: the wrapper starts a status thread per reader and has no "listing finished"
 * signal, which a one-shot command needs.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isSea } from 'node:sea';
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
  /** Starts a thread that calls back with the reader state now and after every change (pcsc-reader.ts readerState). */
  get_status(callback: (error: Error | undefined, state?: number) => void): void;
  close(): number;
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
    binding = isSea() ? loadBesideExecutable() : loadFromPackage();
    return binding;
  } catch (error) {
    throw new JpkiError('ERR_JPKI_PCSC_UNAVAILABLE', `the pcsclite module could not be loaded: ${(error as Error).message}`);
  }
}

function loadFromPackage(): PcscBinding {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('pcsclite/package.json'));
  const fromPackage = createRequire(join(packageDir, 'index.js'));
  // The wrapper module copies EventEmitter onto the native classes; the addon calls `emit` on them.
  fromPackage(packageDir);
  return fromPackage('bindings')({ bindings: 'pcsclite', module_root: packageDir }) as PcscBinding;
}

/**
 * The single executable of the Debian package (docs/packaging.md) has no node_modules: the addon
 * alone lies beside it, and we do what the package's wrapper would (copy EventEmitter on).
 */
function loadBesideExecutable(): PcscBinding {
  const addon = join(dirname(process.execPath), 'pcsclite.node');
  const native = createRequire(process.execPath)(addon) as PcscBinding;
  for (const nativeClass of [native.PCSCLite, native.CardReader]) Object.assign(nativeClass.prototype, EventEmitter.prototype);
  return native;
}
