/**
 * The Mynaportal-compatible DOM-event surface (docs/PROTOCOL.md), served on allow-listed origins
 * only. `launchApp` detail is a JSON string `{mode, ...fields}`; `recvMsg` answers with a JSON
 * string. The modes are operations.ts's (`portalMode`); here is the shape of each request.
 */
import * as v from 'valibot';
import type { PortalOperation } from '../operations.ts';
import { hashField, hashListField } from './fields.ts';

export const portalRequestSchemas = {
  /** Sign `digest` (a DER DigestInfo, base64) with the authentication key. */
  'portal-login': v.object({ digest: hashField }),
  /** Sign `digest` (one DigestInfo or an array) with the signing key. */
  'portal-sign': v.object({ digest: v.union([hashField, hashListField]) }),
  'portal-close': v.object({}),
} as const satisfies Record<PortalOperation, v.GenericSchema>;

export type PortalRequest<N extends PortalOperation> = v.InferOutput<(typeof portalRequestSchemas)[N]>;
