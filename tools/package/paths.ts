/** Where `npm run package` reads and writes: the repository, `dist/` (git-ignored) and its staging folder. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '@jpki-bridge/shared/version';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = join(ROOT, 'dist');
/** Scratch trees the archives are made from; kept after a run for inspection, wiped at the next. */
export const STAGE = join(DIST, 'stage');
export { VERSION };
