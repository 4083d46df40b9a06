/**
 * Google Chrome 137 and later ignore `--load-extension` (and so `--disable-extensions-except`
 * loads nothing): a site's CI with Chrome would run without the extension. The kit loads it over
 * CDP instead (tools/dev/chromium.ts). Here Chromium is started through a wrapper that drops both
 * flags, as such a Chrome would, picked through `CHROME_PATH` as a CI job does — and a resident
 * still logs in with the virtual card, the host reached through its manifest's pinned id.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startJpkiTest, type JpkiTestSession } from '../../packages/testing/src/index.ts';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '../../relying-party/src/index.ts';
import { CHROMIUM } from '../../tools/dev/chromium.ts';
import { serveStatic, type StaticServer } from '../../tools/dev/static-server.ts';
import { FIXTURES, run } from './extension-setup.ts';

let dir: string;
let log: string;
let server: StaticServer;
let jpki: JpkiTestSession;
const savedChromePath = process.env.CHROME_PATH;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jpki-chrome-wrapper-'));
  log = join(dir, 'arguments.log');
  const wrapper = join(dir, 'chrome-without-load-extension');
  // The for-loop's list is expanded once: rotating "$@" keeps every other argument, quoted.
  await writeFile(
    wrapper,
    `#!/bin/sh
for arg in "$@"; do
  shift
  case "$arg" in
    --load-extension=*|--disable-extensions-except=*) echo "dropped $arg" >> '${log}' ;;
    *) echo "kept $arg" >> '${log}'; set -- "$@" "$arg" ;;
  esac
done
exec '${CHROMIUM}' "$@"
`,
  );
  await chmod(wrapper, 0o755);
  server = await serveStatic({ root: FIXTURES });
  process.env.CHROME_PATH = wrapper;
  // The mock host (card inside the host): this test is about the browser, not PC/SC.
  jpki = await startJpkiTest({ persona: 'adult', card: 'mock' });
});

afterAll(async () => {
  if (savedChromePath === undefined) delete process.env.CHROME_PATH;
  else process.env.CHROME_PATH = savedChromePath;
  await jpki?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it('the kit starts the browser from CHROME_PATH without extension flags and still logs in', async () => {
  const args = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  expect(args.filter((line) => line.startsWith('dropped '))).toEqual([]);
  expect(args).toContain('kept --enable-unsafe-extension-debugging');
  expect(args).toContain('kept --remote-debugging-pipe');

  const verifier = new JpkiVerifier({
    trustAnchors: trustAnchorsFrom(jpki.developmentCa, 'dev CA'),
    policies: JPKI_TEST_POLICY_OIDS,
    origin: server.url,
    revocation: 'not-checked',
  });
  const nonce = await verifier.issueNonce();
  const page = await jpki.openPage(`${server.url}/authenticate.html`);
  const pending = run(page, 'run', nonce);
  // The page's answer may arrive before enterPin has seen the dialog close; enterPin itself fails
  // when no dialog ever showed, so both are awaited whichever ends first.
  const entered = jpki.enterPin(jpki.pins.auth);
  entered.catch(() => {}); // awaited below; not an unhandled rejection if the page's call fails first
  const out = await pending;
  await entered;
  expect(out).toMatchObject({ ok: true });
  if (!out.ok) return;
  expect(await verifier.verifyAuthToken(out.result, { nonce })).toMatchObject({ ok: true });
});
