/** `jpki:get-signing-certificate` → host: the card shows this certificate only after the signing PIN. */
import type { BackgroundContext } from '../context.ts';
import { parsePageRequest } from '../page-request.ts';
import { lastTry, withPin } from './with-pin.ts';

export function getSigningCertificate(ctx: BackgroundContext, origin: string, request: unknown): Promise<{ certificate: string }> {
  const { timeout } = parsePageRequest('jpki:get-signing-certificate', request);
  return withPin(ctx, {
    origin,
    use: 'get-signing-certificate',
    count: 0,
    timeoutMs: timeout,
    call: (session, pin, confirmLastTry) => session.request('get-signing-certificate', { origin, pin, ...lastTry(confirmLastTry) }),
  });
}
