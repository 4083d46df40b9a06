/**
 * The Mynaportal-compatible DOM-event surface (docs/PROTOCOL.md § Portal surface), served on
 * allow-listed origins only. `launchApp` detail is a JSON string `{mode, service_id, ...fields}`;
 * `recvMsg` answers with a JSON string. The modes are operations.ts's (`portalMode`); here is the
 * shape of each request. Fields a page adds beyond these are ignored, never acted on.
 */
import * as v from 'valibot';
import type { PortalOperation } from '../operations.ts';
import { PORTAL_SERVICE_ID } from '../portal-compat.ts';
import { portalDigestField, portalDigestListField } from './fields.ts';

/** Every mode that reaches the card names the JPKI service; any other service_id, or none, is refused. */
const service = { service_id: v.literal(PORTAL_SERVICE_ID) };

export const portalRequestSchemas = {
  /** Sign `digest` (base64, the bytes as they are) with the authentication key. */
  'portal-login': v.object({ ...service, digest: portalDigestField }),
  /** Sign `digest` (one or an array) with the signing key, one PIN entry for all. */
  'portal-sign': v.object({ ...service, digest: v.union([portalDigestField, portalDigestListField]) }),
  /** The card face's four items, behind the text PIN. */
  'portal-text': v.object(service),
  /** Nothing reaches the card: no service to name (jpki/myna does not ask for one either). */
  'portal-close': v.object({}),
} as const satisfies Record<PortalOperation, v.GenericSchema>;

export type PortalRequest<N extends PortalOperation> = v.InferOutput<(typeof portalRequestSchemas)[N]>;
