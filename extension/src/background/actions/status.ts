/**
 * `jpki:status`: the extension's and the host's versions, nothing else — any page may ask, so it
 * reveals nothing about readers or the card. The host's hello carries its version, so this
 * never touches PC/SC or the card; the hello is reused for a while (host-version-cache.ts).
 */
import type { PageStatusResult } from '@jpki-bridge/shared/protocol/page';
import type { BackgroundContext } from '../context.ts';
import { withSession } from '../native/native-app-service.ts';

export async function status(ctx: BackgroundContext): Promise<PageStatusResult> {
  const fetch = () => withSession(ctx.connect, async (session) => session.hostVersion, { helloTimeoutMs: ctx.helloTimeoutMs });
  const hostVersion = await (ctx.hostVersionCache ? ctx.hostVersionCache.get(fetch) : fetch());
  return { extensionVersion: ctx.extensionVersion, hostVersion };
}
