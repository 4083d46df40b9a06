import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs in parallel and touches no device; `system` reaches the virtual
// card through the real pcscd + vpcd (and real Chromium). There are only two vpcd readers, so
// `system` files run one at a time (DESIGN §8).
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
    ],
  },
});
