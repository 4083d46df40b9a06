/**
 * Field schemas shared by the native and the page protocol. Shape and bound only: what a field
 * means (an origin, a nonce, a hash of the right length, a DigestInfo) is checked afterwards by
 * protocol/checks.ts, each with its own error code. The bounds of what pages send are those of
 * PAGE_FIELDS (operations.ts), which the content script applies too.
 */
import * as v from 'valibot';
import { isBase64 } from '../base64.ts';
import { MAX_SIGN_INPUT } from '../card.ts';
import { HASH_FUNCTIONS } from '../digest-info.ts';
import { PAGE_FIELDS } from '../operations.ts';

export const base64String = (maxLength: number) =>
  v.pipe(
    v.string(),
    v.maxLength(maxLength),
    v.check((value: string) => isBase64(value), 'not strict base64'),
  );

export const certificateField = base64String(PAGE_FIELDS.certificate.maxLength);
/** A hash or DigestInfo: the bound of one of a page's hashes. */
export const hashField = base64String(PAGE_FIELDS.hashes.maxLength);
export const hashFunctionField = v.picklist(HASH_FUNCTIONS);
export const hashListField = v.pipe(v.array(hashField), v.minLength(1), v.maxLength(PAGE_FIELDS.hashes.maxItems));
/** What a portal page has the card sign (`digest`): base64 of at most what the card takes. */
export const portalDigestField = base64String(Math.ceil(MAX_SIGN_INPUT / 3) * 4);
/** A portal page's list of digests: as many as a page's hashes. */
export const portalDigestListField = v.pipe(v.array(portalDigestField), v.minLength(1), v.maxLength(PAGE_FIELDS.hashes.maxItems));
export const nonceField = v.pipe(v.string(), v.maxLength(PAGE_FIELDS.challengeNonce.maxLength));
/** Format is checked by the policy (ERR_JPKI_PIN_FORMAT), not here: here only the type and a bound. */
export const pinField = v.pipe(v.string(), v.maxLength(64));
/** From the browser's MessageSender, never from a page; checked as an origin afterwards. */
export const originField = v.pipe(v.string(), v.maxLength(1024));
export const confirmLastTryField = v.optional(v.boolean());
