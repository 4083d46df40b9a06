/**
 * vitest's file order, with the longest files first. vitest starts the files it knows to be slow
 * first only from a results cache a fresh clone (CI) does not have; otherwise it starts the larger
 * files first, and a long file started last keeps one worker busy after the other has finished.
 * The `system` ones serve dozens of cards or drive browsers through many states; the `unit` ones are short files that wait seconds
 * for other programs (ESLint's type checker, a JVM, racing Node processes). Measured: the longest
 * of their projects in any run.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONG_FILES = [
  'test/e2e/extension-screens.test.ts',
  'test/system/host-faults.test.ts',
  'test/e2e/extension-firefox-pin.test.ts',
  'test/system/virtual-card-apps.test.ts',
  'test/system/virtual-card.test.ts',
  'test/unit/lint-config.test.ts',
  'test/unit/verifier-test-vectors.test.ts',
  'test/unit/dev-reader-lock.test.ts',
  // package: the installing file first; the APT one, which waits for it on dpkg's lock, last (unlisted).
  'test/package/deb.test.ts',
  'test/package/example-express-login.test.ts',
  'test/package/example-fastify-login.test.ts',
  'test/package/extension-archives.test.ts',
  'test/package/deb-lintian.test.ts',
  'test/package/npm-tarballs.test.ts',
];

export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = LONG_FILES.findIndex((file) => spec.moduleId.endsWith(file));
      return index === -1 ? LONG_FILES.length : index;
    };
    // Within each project (vitest keeps a project's files together), the long ones move to the front.
    const projects = [...new Set(sorted.map((spec) => spec.project.name))];
    return projects.flatMap((name) => {
      const own = sorted.filter((spec) => spec.project.name === name);
      return own
        .map((spec, i) => ({ spec, i }))
        .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
        .map(({ spec }) => spec);
    });
  }
}
