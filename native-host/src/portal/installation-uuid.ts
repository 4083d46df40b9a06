/**
 * The installation uuid of the portal protocol: 16 random bytes as 32 lowercase hex digits, made
 * once per installation (per user) and kept in the config directory — file 0600, directory 0700.
 * Portals see it in every answer and hash it into the combination code, so it must never change
 * by accident: it is created atomically (../fs/atomic-write.ts: a complete file or none, and of
 * two hosts starting at once, one wins and both use its uuid), and a damaged file is an error,
 * never silently replaced.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { DIRECTORY_MODE, FILE_MODE, writeFileAtomic } from '../fs/atomic-write.ts';
import { currentConfigDir } from './config-dir.ts';

export const INSTALLATION_UUID_FILE = 'installation-uuid';
const UUID = /^[0-9a-f]{32}$/;
const POSIX = process.platform !== 'win32';

/** The uuid kept in `dir` (default: the user's config directory), created on first use. */
export async function installationUuid(dir: string = currentConfigDir()): Promise<string> {
  const file = join(dir, INSTALLATION_UUID_FILE);
  const kept = await readUuid(file);
  if (kept !== null) return kept;
  // Never replacing a file already there: of two hosts starting at once, the one that loses the
  // race simply reads the winner's uuid.
  await writeFileAtomic(file, `${randomBytes(16).toString('hex')}\n`, { replace: false });
  await restrict(dir, DIRECTORY_MODE); // a directory that was there already may be open to others
  const made = await readUuid(file);
  if (made === null) throw damaged();
  return made;
}

/** The 16 bytes behind the hex form (the combination code hashes these). */
export function uuidBytes(uuid: string): Uint8Array {
  if (!UUID.test(uuid)) throw new RangeError('an installation uuid is 32 lowercase hex digits');
  return Uint8Array.from(Buffer.from(uuid, 'hex'));
}

async function readUuid(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const uuid = text.trim();
  if (!UUID.test(uuid)) throw damaged();
  await restrict(file, FILE_MODE);
  return uuid;
}

/** Takes group and other permissions away from a file or directory that has them (POSIX only). */
async function restrict(path: string, mode: number): Promise<void> {
  if (!POSIX) return;
  const { mode: current } = await stat(path);
  if ((current & 0o077) !== 0) await chmod(path, mode);
}

function damaged(): JpkiError {
  // No path in the message: it would carry the user's name to wherever errors travel.
  return new JpkiError(
    'ERR_JPKI_UNKNOWN',
    `the installation uuid file (${INSTALLATION_UUID_FILE} in the jpki-bridge config directory) is damaged; remove it to make a new uuid`,
  );
}
