/** The store archives of the extension (wxt-zip.ts does the work, one process per browser). */
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from './exec.ts';
import { DIST } from './paths.ts';

export function buildExtensionArchives(stageDir: string): string[] {
  const script = new URL('./wxt-zip.ts', import.meta.url).pathname;
  for (const browser of ['chrome', 'firefox']) exec(process.execPath, ['--import', 'tsx', script, browser, stageDir]);
  return readdirSync(stageDir)
    .filter((name) => name.endsWith('.zip'))
    .map((name) => {
      renameSync(join(stageDir, name), join(DIST, name));
      return join(DIST, name);
    });
}
