/**
 * Writing a file whole or not at all, for the files whose loss would be a lie: the installation
 * uuid (portals hash it into the combination code) and the virtual card's state (a PIN lock must
 * survive a crash). The text goes to a temporary file beside the target (a rename or link is
 * atomic only within one file system), is fsynced, and only then takes the target's name; the
 * directory is fsynced after, so the new name itself survives a power cut. Whoever reads the
 * target sees the old file or the new one, never a half-written one; a crash part-way leaves at
 * most a hidden `.NAME.….tmp` beside it. The file is 0600 and any directory made for it 0700:
 * both hold secrets of one user (a uuid, a test card's keys and PINs).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const FILE_MODE = 0o600;
export const DIRECTORY_MODE = 0o700;

export interface AtomicWriteOptions {
  /**
   * false: never replace a file already there (hard link instead of rename); of several writers
   * racing, one wins and the others leave the winner's file as it is. Default true.
   */
  replace?: boolean;
}

/** Writes `text` to `file`; resolves true when `text` is now the file, false when `replace: false` found one there. */
export async function writeFileAtomic(file: string, text: string, options: AtomicWriteOptions = {}): Promise<boolean> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: DIRECTORY_MODE });
  const temp = tempPathFor(file);
  try {
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.replace === false) {
      if (!(await linkUnlessTaken(temp, file))) return false;
    } else {
      await rename(temp, file);
    }
  } finally {
    await unlink(temp).catch(() => {}); // gone after a rename; after a link or a failure, still there
  }
  const dirHandle = await open(dir, 'r').catch(() => null); // not every platform opens a directory
  if (dirHandle)
    await dirHandle
      .sync()
      .catch(() => {})
      .finally(() => dirHandle.close());
  return true;
}

/**
 * The same, replacing, without yielding to the event loop: the virtual card persists a changed
 * retry counter before it answers, as a real card writes its EEPROM before the status word.
 */
export function writeFileAtomicSync(file: string, text: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: DIRECTORY_MODE });
  const temp = tempPathFor(file);
  try {
    const fd = openSync(temp, 'wx', FILE_MODE);
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } finally {
    try {
      unlinkSync(temp); // gone after the rename; after a failure, still there
    } catch {}
  }
  syncDirectory(dir);
}

/** link() never replaces an existing file: false when `file` is there already. */
async function linkUnlessTaken(temp: string, file: string): Promise<boolean> {
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Beside the target, hidden, and unique to this process and call (two writers never share one). */
function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // not every platform opens a directory
  }
  try {
    fsyncSync(fd);
  } catch {
  } finally {
    closeSync(fd);
  }
}
