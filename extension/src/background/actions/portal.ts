/**
 * The portal surface's `launchApp`: the detail's `mode` names a row of operations.ts
 * (`portalMode`), whose request shape is shared/src/protocol/portal.ts's (which also requires
 * `service_id: "01"`, before any dialog) and whose handler is below — the host call and the
 * answer's fields, in the form real portal pages read (docs/PROTOCOL.md § Portal surface). The
 * caller has checked the allow-list against the sender's origin. Failures are the content
 * script's to word: it echoes the page's own request.
 */
import * as v from 'valibot';
import { USER_TIMEOUT_MS } from '@jpki-bridge/shared/constants';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { OPERATIONS, type PortalOperation, operationOfPortalMode } from '@jpki-bridge/shared/operations';
import { PORTAL_RESULT } from '@jpki-bridge/shared/portal-compat';
import { checkPortalDigests } from '@jpki-bridge/shared/protocol/checks';
import type { CommandResult } from '@jpki-bridge/shared/protocol/native';
import { type PortalRequest, portalRequestSchemas } from '@jpki-bridge/shared/protocol/portal';
import type { BackgroundContext } from '../context.ts';
import { lastTry, withPin } from './with-pin.ts';

/** The fields of a successful answer after `mode` and `result`, as the page receives them. */
export type PortalFields = Record<string, string | string[]>;
/** The whole `recvMsg` detail of a success. */
export type PortalAnswer = { mode: string; result: typeof PORTAL_RESULT.ok } & PortalFields;

type PortalHandler<N extends PortalOperation> = (ctx: BackgroundContext, origin: string, request: PortalRequest<N>) => Promise<PortalFields>;

const PORTAL_HANDLERS: { [N in PortalOperation]: PortalHandler<N> } = {
  'portal-login': async (ctx, origin, { digest }) => {
    checkPortalDigests([digest]); // before the dialog: the host would refuse it anyway
    const result = await withPin(ctx, {
      origin,
      use: 'portal-login',
      count: 1,
      timeoutMs: USER_TIMEOUT_MS,
      call: (session, pin, confirmLastTry) => session.request('portal-login', { origin, digest, pin, ...lastTry(confirmLastTry) }),
    });
    return { uuid: result.uuid, signature: result.signature, certificate: unpadded(result.certificate), combination_code: result.combinationCode };
  },
  'portal-sign': async (ctx, origin, { digest }) => {
    const digests = typeof digest === 'string' ? [digest] : digest;
    checkPortalDigests(digests);
    const result = await withPin(ctx, {
      origin,
      use: 'portal-sign',
      count: digests.length,
      timeoutMs: USER_TIMEOUT_MS,
      call: (session, pin, confirmLastTry) => session.request('portal-sign', { origin, digests, pin, ...lastTry(confirmLastTry) }),
    });
    // Always an array, also for a single string: what the jpki/myna client answers and portals read.
    return { uuid: result.uuid, signature: result.signatures, certificate: unpadded(result.certificate), combination_code: result.combinationCode };
  },
  'portal-text': async (ctx, origin) => {
    const result: CommandResult<'portal-text'> = await withPin(ctx, {
      origin,
      use: 'portal-text',
      count: 0,
      timeoutMs: USER_TIMEOUT_MS,
      call: (session, pin, confirmLastTry) => session.request('portal-text', { origin, pin, ...lastTry(confirmLastTry) }),
    });
    return {
      uuid: result.uuid,
      name: utf8Hex(result.name),
      sex: utf8Hex(result.sex),
      address: utf8Hex(result.address),
      birthday: utf8Hex(result.birthday),
      combination_code: result.combinationCode,
    };
  },
  // Nothing to close: every operation ends with its own dialog.
  'portal-close': async () => ({}),
};

/** The operation the detail's `mode` names, read once by the router for the activation check and the handler. */
export function portalOperationOf(detail: unknown): PortalOperation | undefined {
  return operationOfPortalMode(typeof detail === 'object' && detail !== null ? (detail as { mode?: unknown }).mode : undefined);
}

/** `detail`: the parsed `launchApp` detail (messages.ts, PortalMessage); `operation`: portalOperationOf(detail). */
export async function portal(ctx: BackgroundContext, origin: string, operation: PortalOperation | undefined, detail: unknown): Promise<PortalAnswer> {
  if (!operation) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const fields = await run(ctx, origin, operation, detail);
  return { mode: OPERATIONS[operation].portalMode, result: PORTAL_RESULT.ok, ...fields };
}

function run<N extends PortalOperation>(ctx: BackgroundContext, origin: string, operation: N, json: unknown): Promise<PortalFields> {
  // A missing or other service_id fails here, before any dialog or host contact.
  const parsed = v.safeParse(portalRequestSchemas[operation], json);
  if (!parsed.success) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const handler: PortalHandler<N> = PORTAL_HANDLERS[operation];
  return handler(ctx, origin, parsed.output);
}

/** The portal's certificate form: base64 DER without the `=` padding. */
function unpadded(base64: string): string {
  return base64.replace(/=+$/, '');
}

/** The portal's text form: the lowercase hex of the item's UTF-8 bytes. */
function utf8Hex(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += byte.toString(16).padStart(2, '0');
  return out;
}
