/**
 * The page API `jpki:*` (DESIGN §3.1). The page posts `{action, ...fields}`; the content script
 * answers `<action>-ack`, then `<action>-success` or `<action>-failure`. There is no origin field:
 * the origin comes from the browser's MessageSender, never from the page.
 */
import * as v from 'valibot';
import { USER_TIMEOUT_MS } from '../constants.ts';
import { certificateField, hashFunctionField, hashListField, nonceField } from './fields.ts';

/** A page may shorten the user-interaction timeout, never lengthen it. */
const timeoutField = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1_000), v.maxValue(USER_TIMEOUT_MS)));

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
} as const;

export type PageAction = keyof typeof pageRequestSchemas;
export const PAGE_ACTIONS = Object.keys(pageRequestSchemas) as PageAction[];
export type PageRequest<A extends PageAction> = v.InferOutput<(typeof pageRequestSchemas)[A]>;

export function isPageAction(value: unknown): value is PageAction {
  return typeof value === 'string' && Object.hasOwn(pageRequestSchemas, value);
}

export const pageStatusResultSchema = v.object({ extensionVersion: v.string(), hostVersion: v.string() });
export type PageStatusResult = v.InferOutput<typeof pageStatusResultSchema>;
