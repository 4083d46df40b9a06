/**
 * vitest globalSetup of the `unit` project: a directory for this run's shared fixtures
 * (test/harness/fixture-cache.ts), handed to the workers with `provide` and removed at the end.
 * Making nothing here keeps a run of one file as fast as before: each fixture is made by the first
 * file that asks for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    fixtureCacheDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'jpki-unit-fixtures-'));
  project.provide('fixtureCacheDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
