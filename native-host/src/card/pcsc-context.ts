/**
 * One PC/SC context "generation": the PCSCLite object (SCardEstablishContext + a thread that
 * watches the reader list) and the CardReader objects made under it. When pcscd stops or
 * restarts, the generation is marked dead and the next operation makes a new one.
 */
import { JpkiError } from '@jpki-bridge/shared/errors';
import { loadPcsc, type NativeCardReader, type NativePcscLite } from './pcsc-binding.ts';
import { mapPcscError } from './pcsc-errors.ts';
import { newCardReader } from './pcsc-reader.ts';

const LIST_TIMEOUT_MS = 3000;

export class PcscContext {
  dead = false;
  private latest: string[] | null = null;
  private readonly names: Promise<string[]>;
  private readonly readers = new Map<string, NativeCardReader>();

  private constructor(private readonly pcsc: NativePcscLite) {
    this.names = new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new JpkiError('ERR_JPKI_PCSC_UNAVAILABLE', 'pcscd did not list its readers')), LIST_TIMEOUT_MS);
      pcsc.start((error, data) => {
        clearTimeout(timer);
        if (error) {
          this.dead = true; // the watcher thread has stopped; the next operation starts afresh
          reject(mapPcscError(error, 'list'));
          return;
        }
        this.latest = parseReaderNames(data);
        resolve(this.latest);
      });
    });
    this.names.catch(() => {});
  }

  /** Throws ERR_JPKI_PCSC_UNAVAILABLE at once when pcscd is not there. */
  static establish(): PcscContext {
    const { PCSCLite } = loadPcsc();
    try {
      return new PcscContext(new PCSCLite());
    } catch (error) {
      throw mapPcscError(error, 'establish');
    }
  }

  /** The reader list: the first listing, then whatever the watcher last reported. */
  async readerNames(): Promise<string[]> {
    return this.latest ?? (await this.names);
  }

  /** The CardReader for `name` in this generation; `probe` is a second handle for presence checks. */
  reader(name: string, role: 'use' | 'probe' = 'use'): NativeCardReader {
    const key = `${role}:${name}`;
    let reader = this.readers.get(key);
    if (!reader) {
      reader = newCardReader(name);
      this.readers.set(key, reader);
    }
    return reader;
  }

  /** Forgets `reader` (its connect is stuck in pcscd): the next reader(name) makes a fresh one. */
  retire(reader: NativeCardReader): void {
    for (const [key, known] of this.readers) if (known === reader) this.readers.delete(key);
  }

  close(): void {
    this.dead = true;
    try {
      this.pcsc.close();
    } catch {}
  }
}

function parseReaderNames(data: Buffer | undefined): string[] {
  if (!data || data.length === 0) return [];
  return data
    .toString('utf8')
    .split('\0')
    .filter((name) => name.length > 0);
}
