import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';
import { LongFilesFirst } from './test/harness/long-files-first.ts';
import { pcscdSandboxesAvailable } from './tools/dev/pcscd-sandbox.ts';

// Where the machine allows it (root, iproute2), each worker of `system` and `package` gets a
// pcscd of its own with its own two vpcd readers (test/harness/pcscd-sandboxes.ts), so their
// files run side by side; elsewhere they share the machine's pcscd and run one at a time.
const sandboxes = pcscdSandboxesAvailable();
// vitest's default in a run is one worker fewer than the CPUs: a single worker on a 2-core machine.
// The in-process projects keep every core busy instead (their main process mostly waits).
const allCores = '100%';
const pcscProject = {
  globalSetup: ['test/harness/pcscd-sandboxes.ts'],
  setupFiles: ['test/harness/pcscd-sandbox-setup.ts'],
  fileParallelism: sandboxes,
  // Three files at a time on two cores: they wait on browsers and processes much of the time.
  // Measured on the 2-core machine, quiet: system 257 s with two, 206 s with three, 195 s with four.
  maxWorkers: sandboxes ? 3 : 1,
};

// Four projects: `unit` runs in parallel and touches no device; `system` reaches the virtual
// card through the real pcscd + vpcd (and real Chromium), `package` installs what
// `npm run package` makes (docs/virtual-card.md). `extension` runs test/extension/** under WXT's
// vitest plugin, configured from extension/wxt.config.ts: the global `browser`/`chrome` and
// `wxt/browser` are WXT's in-memory `fakeBrowser` (webextension-polyfill, which our code imports,
// hands back that global as it is), so those tests drive the real browser-API code paths.
export default defineConfig({
  test: {
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          maxWorkers: allCores,
          // One module graph per worker, not per file: importing the verifier, pkijs, node-forge and
          // the host's modules again for each of ~60 files cost more CPU than their tests. The files
          // keep no state in modules (each makes its cards, fakes and temporary directories, and
          // restores what it stubs); they pass alone, shuffled and on one worker (docs/testing.md).
          isolate: false,
          // The cards and test CAs the files share, each made once per run (test/harness/fixture-cache.ts).
          globalSetup: ['test/harness/fixture-cache-dir.ts'],
          // Bounds against a hang, not speed targets: making RSA keys and certificates (cards,
          // CAs, CRLs) took over 30 s per test or beforeAll on the 2-core machine at load 20.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          ...pcscProject,
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
          ...pcscProject,
          globalSetup: [...pcscProject.globalSetup, 'test/package/build-once.ts'],
          // Side by side like `system`, except the two files that install the Debian package: they
          // take turns (test/package/one-installer.ts).
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        plugins: [WxtVitest({ root: 'extension' })],
        test: {
          name: 'extension',
          include: ['test/extension/**/*.test.ts', 'test/extension/**/*.test.tsx'],
          maxWorkers: allCores,
          testTimeout: 30_000,
        },
      },
    ],
  },
});
