/** Field schemas shared by the native and the page protocol. */
import * as v from 'valibot';
import { isBase64 } from '../base64.ts';
import { HASH_FUNCTIONS } from '../digest-info.ts';
import { MAX_HASHES } from '../constants.ts';

export const base64String = (maxLength: number) =>
  v.pipe(v.string(), v.maxLength(maxLength), v.check((value: string) => isBase64(value), 'not strict base64'));

/** Certificates are ~1.5 KB of DER; 16 KiB of base64 leaves room and bounds work. */
export const certificateField = base64String(16_384);
/** A hash or DigestInfo: at most SHA-512's DigestInfo (83 bytes) in base64, rounded up. */
export const hashField = base64String(128);
export const hashFunctionField = v.picklist(HASH_FUNCTIONS);
export const hashListField = v.pipe(v.array(hashField), v.minLength(1), v.maxLength(MAX_HASHES));
/** Format is checked by the policy (ERR_JPKI_PIN_FORMAT), not here: here only the type and a bound. */
export const pinField = v.pipe(v.string(), v.maxLength(64));
/** Checked semantically by isValidOrigin (ERR_JPKI_INVALID_ORIGIN); here only the type and a bound. */
export const originField = v.pipe(v.string(), v.maxLength(1024));
export const nonceField = v.pipe(v.string(), v.maxLength(1024));
export const confirmLastTryField = v.optional(v.boolean());
