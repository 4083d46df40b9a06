/** `jpki-bridge run` argument handling: a PIN given in argv is refused and never echoed. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../native-host/src/cli/run.ts';
import { captureOutput } from '../harness/capture-output.ts';

const capture = captureOutput;

afterEach(() => vi.restoreAllMocks());

describe('jpki-bridge run', () => {
  it('a PIN in the JSON arguments is refused and not echoed', async () => {
    const io = capture();
    expect(await main(['authenticate', '{"origin":"https://a.jp","pin":"8642"}', '--card', 'virtual:/nonexistent.json'])).toBe(64);
    expect(io.err() + io.out()).not.toContain('8642');
  });

  it("malformed JSON holding a PIN: the parser's message is not echoed", async () => {
    // Node ≥ 22 (V8 ≥ 12) quotes the input in JSON.parse's message: `Unexpected token '}', "{…}" is
    // not valid JSON`. Emulated here so that the test means the same on every supported Node.
    const realParse = JSON.parse;
    vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      try {
        return realParse(text, reviver);
      } catch {
        throw new SyntaxError(`Unexpected token '}', "${text}" is not valid JSON`);
      }
    });
    const io = capture();
    expect(await main(['sign', '{"origin":"https://a.jp","pin":"ZQ97XW",}'])).toBe(64);
    expect(io.err()).toContain('JSON');
    expect(io.err() + io.out()).not.toContain('ZQ97XW');
  });
});
