/**
 * The OS a page sees, in real Chromium on this Linux machine. A preset portal origin —
 * `https://myna.go.jp`, its name mapped onto a local https server whose key alone Chromium trusts —
 * is shown Windows: `navigator.userAgent`, `navigator.platform`, `userAgentData` and the headers of
 * its requests (recorded by the server). A page off the allow-list sees the browser as it is, gets
 * no hidden inputs and no answer to launchApp; a site the user adds sees it as it is too, until
 * its switch is turned on. No card or host is needed: the host is not installed.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumSession, launchChromium } from '../../tools/dev/chromium.ts';
import { type StaticServer, serveStatic } from '../../tools/dev/static-server.ts';
import { selfSignedCertificate } from '../../tools/dev/tls-certificate.ts';
import { FIXTURES } from './extension-setup.ts';

const PRESET = 'https://myna.go.jp';
const WINDOWS_TOKEN = '(Windows NT 10.0; Win64; x64)';

let session: ChromiumSession;
let portal: StaticServer; // https, serving as myna.go.jp
let plain: StaticServer; // http://localhost:PORT, off the list

beforeAll(async () => {
  const tls = selfSignedCertificate(['myna.go.jp']);
  portal = await serveStatic({ root: FIXTURES, tls });
  plain = await serveStatic({ root: FIXTURES });
  session = await launchChromium({ host: false, aliases: { hostnames: ['myna.go.jp'], target: `127.0.0.1:${portal.port}`, spki: tls.spki } });
});
afterAll(async () => {
  await session?.close();
  await portal?.close();
  await plain?.close();
});

type Seen = { userAgent: string; appVersion: string; platform: string; uaPlatform: string | null; high: Record<string, unknown> | null; fetched: number };

/** Where the background has registered the page-world script (read from an extension page). */
async function registeredMatches(): Promise<string[]> {
  const page = await session.openPage(session.extensionUrl('options.html'));
  try {
    return await page.evaluate(async () => {
      const scripting = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<Array<{ matches?: string[] }>> } } }).chrome
        .scripting;
      return (await scripting.getRegisteredContentScripts()).flatMap((script) => script.matches ?? []);
    });
  } finally {
    await page.close();
  }
}

async function waitForRegistration(test: (matches: string[]) => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (!test(await registeredMatches())) {
    if (Date.now() > until) throw new Error(`the page-world script was not registered as expected: ${JSON.stringify(await registeredMatches())}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The page's own view, and the headers of the page load and of its fetch as the server got them. */
async function visit(server: StaticServer, origin: string): Promise<{ page: Page; seen: Seen; headers: Array<Record<string, string | string[] | undefined>> }> {
  const from = server.requests.length;
  const page = await session.openPage(`${origin}/os.html`);
  const seen = (await page.evaluate(() => (window as any).seen())) as Seen;
  const headers = server.requests
    .slice(from)
    .filter((r) => r.path.startsWith('/os.html'))
    .map((r) => r.headers);
  return { page, seen, headers };
}

describe('the OS the page sees', () => {
  it('a preset portal origin sees Windows: navigator.userAgent, userAgentData, platform and the request headers', async () => {
    await waitForRegistration((matches) => matches.includes(`${PRESET}/*`));
    const { page, seen, headers } = await visit(portal, PRESET);
    expect(seen.userAgent).toContain(WINDOWS_TOKEN);
    expect(seen.userAgent).not.toMatch(/Linux|X11/);
    expect(seen.appVersion).toContain(WINDOWS_TOKEN);
    expect(seen.platform).toBe('Win32');
    expect(seen.uaPlatform).toBe('Windows');
    expect(seen.high).toMatchObject({ platform: 'Windows', platformVersion: '10.0.0' });
    expect(headers).toHaveLength(2); // the page itself and its fetch
    for (const h of headers) {
      expect(h['user-agent']).toBe(seen.userAgent);
      expect(h['sec-ch-ua-platform']).toBe('"Windows"');
    }
    await page.close();
  });

  it('a page off the allow-list sees the browser as it is, gets no hidden inputs and no answer to launchApp', async () => {
    const { page, seen, headers } = await visit(plain, plain.url);
    expect(seen.userAgent).toContain('Linux');
    expect(seen.userAgent).not.toContain('Windows');
    expect(seen.platform).toMatch(/^Linux/);
    expect(seen.uaPlatform).toBe('Linux');
    expect(seen.high).toMatchObject({ platform: 'Linux' });
    expect(headers).toHaveLength(2);
    for (const h of headers) {
      expect(h['user-agent']).toBe(seen.userAgent);
      expect(h['sec-ch-ua-platform']).toBe('"Linux"');
    }
    expect(await page.evaluate(() => (window as any).launch({ mode: '01', service_id: '01', digest: 'AAAA' }, 3_000))).toEqual({ ignored: true });
    expect(await page.evaluate(() => (window as any).inputs())).toEqual({ extension: null, app: null });
    await page.close();
  });

  it('a site the user adds sees the browser as it is until its switch is on, then Windows', async () => {
    await session.allowPortalOrigin(plain.url);
    // The list changed, so the registration was rebuilt — still without the added site.
    await waitForRegistration((matches) => matches.includes(`${PRESET}/*`));
    const before = await visit(plain, plain.url);
    expect(before.seen.userAgent).toContain('Linux');
    expect(before.headers[0]?.['user-agent']).toContain('Linux');
    await before.page.close();

    await session.allowPortalOrigin(plain.url, { presentWindows: true });
    await waitForRegistration((matches) => matches.includes(`${plain.url}/*`));
    const after = await visit(plain, plain.url);
    expect(after.seen.userAgent).toContain(WINDOWS_TOKEN);
    expect(after.seen.uaPlatform).toBe('Windows');
    for (const h of after.headers) {
      expect(h['user-agent']).toContain(WINDOWS_TOKEN);
      expect(h['sec-ch-ua-platform']).toBe('"Windows"');
    }
    await after.page.close();
    // The other localhost origin (another port) is still untouched.
    const other = await serveStatic({ root: FIXTURES });
    try {
      const { page, seen } = await visit(other, other.url);
      expect(seen.userAgent).toContain('Linux');
      await page.close();
    } finally {
      await other.close();
    }
  });
});
