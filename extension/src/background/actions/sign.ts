/** `jpki:sign` → host `sign`: one PIN entry for every hash (the host verifies once, signs all). */
import type { SignResult } from '@jpki-bridge/shared/protocol/native';
import type { BackgroundContext } from '../context.ts';
import { parsePageRequest } from '../page-request.ts';
import { lastTry, withPin } from './with-pin.ts';

export function sign(ctx: BackgroundContext, origin: string, request: unknown): Promise<SignResult> {
  const { hashes, hashFunction, certificate, timeout } = parsePageRequest('jpki:sign', request);
  return withPin(ctx, {
    origin,
    use: 'sign',
    count: hashes.length,
    timeoutMs: timeout,
    call: (session, pin, confirmLastTry) =>
      session.request('sign', {
        origin,
        hashes,
        hashFunction,
        pin,
        ...(certificate !== undefined ? { certificate } : {}),
        ...lastTry(confirmLastTry),
      }),
  });
}
