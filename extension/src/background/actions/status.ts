/**
 * `jpki:status`: the extension's and the host's versions, nothing else — any page may ask, so it
 * reveals nothing about readers or the card. The host's hello carries its version, so this
 * never touches PC/SC or the card; the hello is reused for a while (host-version-cache.ts).
 */
import type { PageStatusResult } from '@jpki-bridge/shared/protocol/page';
import type { BackgroundContext } from '../context.ts';
import { withSession } from '../native/native-app-service.ts';

export async function status(ctx: BackgroundContext): Promise<PageStatusResult> {
  return { extensionVersion: ctx.extensionVersion, hostVersion: await hostVersion(ctx) };
}

/**
 * The host's version from its hello, through the cache when there is one: every caller that any
 * page can trigger (`jpki:status`, the portal's hello on each allow-listed page load) goes here,
 * so that pages cannot make the browser start host processes at will.
 */
export function hostVersion(ctx: BackgroundContext): Promise<string> {
  const fetch = () => withSession(ctx.connect, async (session) => session.hostVersion, { helloTimeoutMs: ctx.helloTimeoutMs });
  return ctx.hostVersionCache ? ctx.hostVersionCache.get(fetch) : fetch();
}
