/** Issue 19 finding 11: the testing kit's Chromium runs with its sandbox unless it must not. */
import { describe, expect, it } from 'vitest';
import { sandboxArgs } from '../../tools/dev/chromium.ts';

describe("the testing kit's Chromium sandbox (issue 19 finding 11)", () => {
  it('keeps the sandbox for a user, drops it only as root (where Chromium requires that)', () => {
    expect(sandboxArgs(1000)).toEqual([]);
    expect(sandboxArgs(0)).toEqual(['--no-sandbox']);
  });
});
