/**
 * The portal's hello, on every page load of the content script: is the sender's origin on the
 * allow-list, and if so which hidden inputs to set — the compatibility levels real portal pages
 * check (shared/src/portal-compat.ts), `#app-is-installed` only when the host answers (through the
 * host-version cache, since every allow-listed page load asks), as a portal expects of a missing app.
 */
import { isOriginAllowed } from '@jpki-bridge/shared/origin';
import { PORTAL_COMPATIBILITY } from '@jpki-bridge/shared/portal-compat';
import type { PortalHelloAnswer } from '../../messages.ts';
import type { BackgroundContext } from '../context.ts';
import { hostVersion } from './status.ts';

export const NOT_ALLOWED: PortalHelloAnswer = { allowed: false, inputs: {} };

export async function portalHello(ctx: BackgroundContext, origin: string): Promise<PortalHelloAnswer> {
  if (!isOriginAllowed(origin, await ctx.allowList())) return NOT_ALLOWED;
  const hostAnswers = await hostVersion(ctx).then(
    () => true,
    () => false,
  );
  const inputs: PortalHelloAnswer['inputs'] = { 'extension-is-installed': PORTAL_COMPATIBILITY.extensionInstalled };
  if (hostAnswers) inputs['app-is-installed'] = PORTAL_COMPATIBILITY.appInstalled;
  return { allowed: true, inputs };
}
