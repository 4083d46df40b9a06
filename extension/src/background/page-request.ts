/**
 * Validation of a `jpki:*` request in the background, with the shared schemas (the content
 * script only copied primitives). Structure → ERR_JPKI_INVALID_REQUEST; meaning (nonce, hash
 * lengths) → their own codes, through the same field checks the host runs.
 */
import * as v from 'valibot';
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { PageAction } from '@jpki-bridge/shared/operations';
import { checkFields } from '@jpki-bridge/shared/protocol/checks';
import { type PageRequest, pageRequestSchemas } from '@jpki-bridge/shared/protocol/page';

export function parsePageRequest<A extends PageAction>(action: A, request: unknown): PageRequest<A> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const parsed = v.safeParse(pageRequestSchemas[action], request);
  if (!parsed.success) throw new JpkiError('ERR_JPKI_INVALID_REQUEST', 'The request is malformed.');
  checkFields(parsed.output);
  return parsed.output;
}
