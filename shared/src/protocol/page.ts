/**
 * The page API `jpki:*` (docs/PROTOCOL.md). The page posts `{action, ...fields}`; the content
 * script answers `<action>-ack`, then `<action>-success` or `<action>-failure`. There is no origin
 * field: the origin comes from the browser's MessageSender, never from the page. The actions and
 * their fields are operations.ts's; here is their shape, and the one place the page's `timeout`
 * is read.
 */
import * as v from 'valibot';
import { USER_TIMEOUT_MS } from '../constants.ts';
import type { PageAction } from '../operations.ts';
import { clampUserTimeout } from './checks.ts';
import { certificateField, hashFunctionField, hashListField, nonceField } from './fields.ts';

/** Any finite number of milliseconds, clamped (a page may shorten the wait, never lengthen it); absent: the full wait. */
const timeoutField = v.optional(v.pipe(v.number(), v.finite(), v.transform(clampUserTimeout)), USER_TIMEOUT_MS);

export const pageRequestSchemas = {
  'jpki:status': v.object({}),
  'jpki:authenticate': v.object({ challengeNonce: nonceField, timeout: timeoutField }),
  'jpki:get-signing-certificate': v.object({ timeout: timeoutField }),
  'jpki:sign': v.object({
    hashes: hashListField,
    hashFunction: hashFunctionField,
    certificate: v.optional(certificateField),
    timeout: timeoutField,
  }),
} as const satisfies Record<PageAction, v.GenericSchema>;

export type PageRequest<A extends PageAction> = v.InferOutput<(typeof pageRequestSchemas)[A]>;

export const pageStatusResultSchema = v.object({ extensionVersion: v.string(), hostVersion: v.string() });
export type PageStatusResult = v.InferOutput<typeof pageStatusResultSchema>;
