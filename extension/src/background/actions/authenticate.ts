/** `jpki:authenticate` → host `authenticate`: the login token bound to the sender's origin. */
import type { AuthToken } from '@jpki-bridge/shared/protocol/native';
import type { BackgroundContext } from '../context.ts';
import { parsePageRequest } from '../page-request.ts';
import { lastTry, withPin } from './with-pin.ts';

export function authenticate(ctx: BackgroundContext, origin: string, request: unknown): Promise<AuthToken> {
  const { challengeNonce, timeout } = parsePageRequest('jpki:authenticate', request);
  return withPin(ctx, {
    origin,
    use: 'authenticate',
    count: 1,
    timeoutMs: timeout,
    call: (session, pin, confirmLastTry) => session.request('authenticate', { origin, challengeNonce, pin, ...lastTry(confirmLastTry) }),
  });
}
