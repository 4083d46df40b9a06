import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';

// Three projects: `unit` runs in parallel and touches no device; `system` reaches the virtual
// card through the real pcscd + vpcd (and real Chromium). There are only two vpcd readers, so
// `system` files run one at a time (docs/virtual-card.md). `extension` runs test/extension/** under WXT's
// vitest plugin, configured from extension/wxt.config.ts: the global `browser`/`chrome` and
// `wxt/browser` are WXT's in-memory `fakeBrowser` (webextension-polyfill, which our code imports,
// hands back that global as it is), so those tests drive the real browser-API code paths.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // What `npm run package` makes, installed as its users install it (test/package/build-once.ts
        // builds dist/ once per run). Uses pcscd, the readers and Chromium too: after `system`.
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/build-once.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        plugins: [WxtVitest({ root: 'extension' })],
        test: {
          name: 'extension',
          include: ['test/extension/**/*.test.ts', 'test/extension/**/*.test.tsx'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
