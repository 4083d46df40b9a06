/**
 * The portal surface's `launchApp`: the detail's `mode` names a row of operations.ts
 * (`portalMode`), whose request shape is shared/src/protocol/portal.ts's and whose handler is
 * below — the host call and the answer's shape. The caller has checked the allow-list against
 * the sender's origin.
 */
import * as v from 'valibot';
import { USER_TIMEOUT_MS } from '@jpki-bridge/shared/constants';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { type PortalOperation, operationOfPortalMode } from '@jpki-bridge/shared/operations';
import { checkPortalDigestInfos } from '@jpki-bridge/shared/protocol/checks';
import { type PortalRequest, portalRequestSchemas } from '@jpki-bridge/shared/protocol/portal';
import type { BackgroundContext } from '../context.ts';
import { lastTry, withPin } from './with-pin.ts';

export type PortalResult = { signature: string | string[]; certificate: string } | Record<string, never>;

type PortalHandler<N extends PortalOperation> = (ctx: BackgroundContext, origin: string, request: PortalRequest<N>) => Promise<PortalResult>;

const PORTAL_HANDLERS: { [N in PortalOperation]: PortalHandler<N> } = {
  'portal-login': (ctx, origin, { digest: digestInfo }) => {
    checkPortalDigestInfos([digestInfo]); // before the dialog: the host would refuse it anyway
    return withPin(ctx, {
      origin,
      use: 'portal-login',
      count: 1,
      timeoutMs: USER_TIMEOUT_MS,
      call: (session, pin, confirmLastTry) => session.request('portal-login', { origin, digestInfo, pin, ...lastTry(confirmLastTry) }),
    });
  },
  'portal-sign': async (ctx, origin, { digest }) => {
    const digestInfos = typeof digest === 'string' ? [digest] : digest;
    checkPortalDigestInfos(digestInfos);
    const result = await withPin(ctx, {
      origin,
      use: 'portal-sign',
      count: digestInfos.length,
      timeoutMs: USER_TIMEOUT_MS,
      call: (session, pin, confirmLastTry) => session.request('portal-sign', { origin, digestInfos, pin, ...lastTry(confirmLastTry) }),
    });
    // Answer in the shape asked: one digest → one signature string, an array → an array.
    return { signature: typeof digest === 'string' ? (result.signatures[0] ?? '') : result.signatures, certificate: result.certificate };
  },
  // Nothing to close: every operation ends with its own dialog.
  'portal-close': async () => ({}),
};

export async function portal(ctx: BackgroundContext, origin: string, detail: unknown): Promise<PortalResult> {
  let json: unknown;
  try {
    json = typeof detail === 'string' ? JSON.parse(detail) : null;
  } catch {
    throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  }
  const operation = operationOfPortalMode(typeof json === 'object' && json !== null ? (json as { mode?: unknown }).mode : undefined);
  if (!operation) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  return run(ctx, origin, operation, json);
}

function run<N extends PortalOperation>(ctx: BackgroundContext, origin: string, operation: N, json: unknown): Promise<PortalResult> {
  const parsed = v.safeParse(portalRequestSchemas[operation], json);
  if (!parsed.success) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const handler: PortalHandler<N> = PORTAL_HANDLERS[operation];
  return handler(ctx, origin, parsed.output);
}
