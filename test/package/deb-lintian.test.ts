/**
 * Lintian on the .deb, in a file of its own: it only reads the package, so it runs beside the
 * files that install it (deb.test.ts, apt-repository.test.ts take turns on dpkg's lock) instead of
 * holding that lock for its ~40 s.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEB_FILE } from '../../tools/package/deb/layout.ts';
import { DIST } from '../../tools/package/paths.ts';

const DEB = join(DIST, DEB_FILE);

/**
 * Lintian's warnings that the package accepts, each explained in docs/packaging.md ("What lintian
 * says"); anything else, and every error, fails.
 */
const ACCEPTED_WARNINGS = new Set(['initial-upload-closes-no-bugs', 'old-fsf-address-in-copyright-file']);

describe('the Debian package', () => {
  it('passes lintian with no error, and only the warnings docs/packaging.md explains', () => {
    const result = spawnSync('lintian', ['--tag-display-limit', '0', DEB], { encoding: 'utf8' });
    const tags = result.stdout.split('\n').filter((line) => /^[EW]: /.test(line));
    expect(
      tags.filter((line) => line.startsWith('E: ')),
      result.stdout,
    ).toEqual([]);
    const warnings = tags.map((line) => line.split(' ')[2]!);
    expect(
      warnings.filter((tag) => !ACCEPTED_WARNINGS.has(tag)),
      result.stdout,
    ).toEqual([]);
  });
});
