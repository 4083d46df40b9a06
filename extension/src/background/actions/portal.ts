/**
 * The portal surface's `launchApp` (DESIGN §3.2): 01 → host `portal-login` (auth key),
 * 02 → host `portal-sign` (signing key), 05 → close (nothing to do: operations end with their
 * dialog). The caller has checked the allow-list against the sender's origin.
 */
import * as v from 'valibot';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { launchAppDetailSchema } from '@jpki-bridge/shared/protocol/portal';
import { USER_TIMEOUT_MS } from '@jpki-bridge/shared/constants';
import { parseCommandArguments } from '@jpki-bridge/shared/protocol/validate';
import type { BackgroundContext } from '../context.ts';
import { lastTry, withPin } from './with-pin.ts';

export type PortalResult = { signature: string | string[]; certificate: string } | Record<string, never>;

export async function portal(ctx: BackgroundContext, origin: string, detail: unknown): Promise<PortalResult> {
  let json: unknown;
  try {
    json = typeof detail === 'string' ? JSON.parse(detail) : null;
  } catch {
    throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  }
  const parsed = v.safeParse(launchAppDetailSchema, json);
  if (!parsed.success) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const request = parsed.output;
  switch (request.mode) {
    case '05':
      return {};
    case '01': {
      const digestInfo = request.digest;
      parseCommandArguments('portal-login', { origin, digestInfo, pin: '' });
      return withPin(ctx, {
        origin,
        use: 'portal-login',
        kind: 'auth',
        count: 1,
        timeoutMs: USER_TIMEOUT_MS,
        call: (session, pin, confirmLastTry) =>
          session.request('portal-login', { origin, digestInfo, pin, ...lastTry(confirmLastTry) }),
      });
    }
    case '02': {
      const single = typeof request.digest === 'string';
      const digestInfos = typeof request.digest === 'string' ? [request.digest] : request.digest;
      parseCommandArguments('portal-sign', { origin, digestInfos, pin: '' });
      const result = await withPin(ctx, {
        origin,
        use: 'portal-sign',
        kind: 'sign',
        count: digestInfos.length,
        timeoutMs: USER_TIMEOUT_MS,
        call: (session, pin, confirmLastTry) =>
          session.request('portal-sign', { origin, digestInfos, pin, ...lastTry(confirmLastTry) }),
      });
      // Answer in the shape asked: one digest → one signature string, an array → an array.
      return { signature: single ? (result.signatures[0] ?? '') : result.signatures, certificate: result.certificate };
    }
    default: {
      const never: never = request;
      return never;
    }
  }
}
