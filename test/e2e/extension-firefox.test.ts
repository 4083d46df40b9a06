/**
 * The Firefox build (MV2, gecko id) in firefox-esr over WebDriver BiDi: it installs as a
 * temporary add-on and a page's `jpki:status` reaches the real host. The PIN flows, typed into
 * the dialog window under Xvfb, are in extension-firefox-pin.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { type FirefoxSession, launchFirefox } from '../../tools/dev/firefox.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { FIXTURES, run } from './extension-setup.ts';

const LOG = join(tmpdir(), `jpki-bridge-firefox-host-${process.pid}.log`);
let firefox: FirefoxSession;
let server: StaticServer;
beforeAll(async () => {
  server = await serveStatic({ root: FIXTURES });
  firefox = await launchFirefox({ host: { card: 'pcsc', log: LOG } });
});
afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

describe('Firefox build', () => {
  it('installs as a temporary add-on with the pinned gecko id', () => {
    expect(firefox.extensionId).toBe(GECKO_EXTENSION_ID);
  });

  it('jpki:status round-trips through the content script, background and the real host', async () => {
    const page = await firefox.openPage(`${server.url}/status.html`);
    expect(await run(page)).toEqual({ ok: true, result: { extensionVersion: '0.1.0', hostVersion: '0.1.0' } });
    // The host this browser started (through the HOME manifest) opened its --log file.
    await expect(readFile(LOG, 'utf8')).resolves.toBeTypeOf('string');
    await page.close();
  });
});
