/**
 * `jpki:status`: the extension's and the host's versions, nothing else — any page may ask, so it
 * reveals nothing about readers or the card. The host's hello carries its version, so this
 * never touches PC/SC or the card.
 */
import type { PageStatusResult } from '@jpki-bridge/shared/protocol/page';
import type { BackgroundContext } from '../context.ts';
import { withSession } from '../native/native-app-service.ts';

export function status(ctx: BackgroundContext): Promise<PageStatusResult> {
  return withSession(ctx.connect, async (session) => ({ extensionVersion: ctx.extensionVersion, hostVersion: session.hostVersion }), {
    helloTimeoutMs: ctx.helloTimeoutMs,
  });
}
