/**
 * Validation of a `jpki:*` request in the background, with the shared schemas (the content
 * script only copied primitives). Structure → ERR_JPKI_INVALID_REQUEST; meaning (nonce, hash
 * lengths) → their own codes, via the same check the host runs.
 */
import * as v from 'valibot';
import { JpkiError } from '@jpki-bridge/shared/errors';
import { type PageAction, type PageRequest, pageRequestSchemas } from '@jpki-bridge/shared/protocol/page';
import { parseCommandArguments } from '@jpki-bridge/shared/protocol/validate';
import { userTimeoutMs } from './deadline.ts';

export function parsePageRequest<A extends PageAction>(action: A, request: unknown): PageRequest<A> & { timeout: number } {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const { timeout, ...rest } = request as Record<string, unknown>;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout))) throw new JpkiError('ERR_JPKI_INVALID_REQUEST');
  const parsed = v.safeParse(pageRequestSchemas[action], rest);
  if (!parsed.success) throw new JpkiError('ERR_JPKI_INVALID_REQUEST', 'The request is malformed.');
  const out = parsed.output as Record<string, unknown>;
  // The meaning checks of the native protocol, with stand-ins for what the page never sends.
  if (action === 'jpki:authenticate') {
    parseCommandArguments('authenticate', { origin: 'https://example.invalid', challengeNonce: out.challengeNonce, pin: '' });
  } else if (action === 'jpki:sign') {
    const args: Record<string, unknown> = { origin: 'https://example.invalid', hashes: out.hashes, hashFunction: out.hashFunction, pin: '' };
    if (out.certificate !== undefined) args.certificate = out.certificate;
    parseCommandArguments('sign', args);
  }
  // A page may shorten the user timeout, never lengthen it: clamp rather than refuse.
  return { ...(parsed.output as PageRequest<A>), timeout: userTimeoutMs(timeout) };
}
