/**
 * `npm run bench`: every `*.bench.ts` beside this file, in name order, in one run. Each exports
 * `run(): Promise<void>` and prints its own figures (never pass/fail: targets are printed beside them).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  if (only.length > 0 && !only.some((name) => file.includes(name))) continue;
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}`);
  const bench = (await import(`${here}${file}`)) as { run: () => Promise<void> };
  await bench.run();
}

// A bench may leave a PC/SC context or a child's pipe open; the figures are printed, so end here.
process.exit(0);
