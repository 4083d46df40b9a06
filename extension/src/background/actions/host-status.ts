/** The full host `status`, for the extension's own popup only (web pages get versions only). */
import type { HostStatus } from '../../messages.ts';
import type { BackgroundContext } from '../context.ts';
import { withSession } from '../native/native-app-service.ts';

export function hostStatus(ctx: BackgroundContext): Promise<HostStatus> {
  return withSession(
    ctx.connect,
    async (session) => ({
      ...(await session.request('status', {})),
      hostVersion: session.hostVersion,
      extensionVersion: ctx.extensionVersion,
    }),
    { helloTimeoutMs: ctx.helloTimeoutMs, requestTimeoutMs: ctx.requestTimeoutMs },
  );
}
