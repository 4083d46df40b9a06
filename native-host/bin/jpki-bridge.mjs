#!/usr/bin/env node
// The `jpki-bridge` command. The real code is the bundle built by `npm ci` (prepare) or `npm run build:host`.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('jpki-bridge: not built yet — run `npm run build:host` in the project root.\n');
  process.exit(70);
}
await import(bundle.href);
