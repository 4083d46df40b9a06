/**
 * The native messaging protocol (docs/PROTOCOL.md): one schema per message, the single source of
 * the TS types. The host validates every request with these; the extension validates every reply.
 * The commands are operations.ts's (`native`); a command there without its schemas here does not
 * compile.
 */
import * as v from 'valibot';
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT } from '../auth-token.ts';
import { ERROR_CODES } from '../errors.ts';
import type { NativeCommand } from '../operations.ts';
import { PIN_KINDS } from '../policy.ts';
import {
  certificateField,
  confirmLastTryField,
  hashFunctionField,
  hashListField,
  nonceField,
  originField,
  pinField,
  portalDigestField,
  portalDigestListField,
} from './fields.ts';

// ---- requests ------------------------------------------------------------------------------

/**
 * Exactly the listed keys are accepted (strictObject): anything else is ERR_JPKI_INVALID_REQUEST.
 * The fields' meaning is checked afterwards (checks.ts), by parseCommandArguments.
 */
export const commandArgumentSchemas = {
  status: v.strictObject({}),
  authenticate: v.strictObject({
    /** From the browser's MessageSender, never from the page. */
    origin: originField,
    challengeNonce: nonceField,
    pin: pinField,
    confirmLastTry: confirmLastTryField,
  }),
  'get-signing-certificate': v.strictObject({
    /**
     * The asking page's origin; absent when the extension's own popup asks (like `change-pin`).
     * The host uses it for nothing but its check: the certificate is the same whoever asks.
     */
    origin: v.optional(originField),
    pin: pinField,
    confirmLastTry: confirmLastTryField,
  }),
  sign: v.strictObject({
    origin: originField,
    hashes: hashListField,
    hashFunction: hashFunctionField,
    pin: pinField,
    /** When given, the card's signing certificate must equal it, else nothing is signed. */
    certificate: v.optional(certificateField),
    confirmLastTry: confirmLastTryField,
  }),
  /** The authentication key over the portal page's `digest`, bytes as they are. */
  'portal-login': v.strictObject({
    origin: originField,
    digest: portalDigestField,
    pin: pinField,
    confirmLastTry: confirmLastTryField,
  }),
  /** The signing key over each of the portal page's digests, bytes as they are. */
  'portal-sign': v.strictObject({
    origin: originField,
    digests: portalDigestListField,
    pin: pinField,
    confirmLastTry: confirmLastTryField,
  }),
  /** The card face's four items, behind the text PIN. */
  'portal-text': v.strictObject({
    origin: originField,
    pin: pinField,
    confirmLastTry: confirmLastTryField,
  }),
  /** Only the extension's own pages may ask for this, never a web page. */
  'change-pin': v.strictObject({
    kind: v.picklist(PIN_KINDS),
    pin: pinField,
    newPin: pinField,
    confirmLastTry: confirmLastTryField,
  }),
} as const satisfies Record<NativeCommand, v.GenericSchema>;

export type Command = keyof typeof commandArgumentSchemas;
export const COMMANDS = Object.keys(commandArgumentSchemas) as Command[];
export type CommandArguments<C extends Command> = v.InferOutput<(typeof commandArgumentSchemas)[C]>;

export function isCommand(value: unknown): value is Command {
  return typeof value === 'string' && Object.hasOwn(commandArgumentSchemas, value);
}

/**
 * The envelope. `arguments` passes through as it came (a copy would have lost any reserved key):
 * parseCommandArguments requires a plain object, then its command's schema.
 */
export const requestEnvelopeSchema = v.strictObject({
  id: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  command: v.pipe(v.string(), v.maxLength(64)),
  arguments: v.unknown(),
});

// ---- replies -------------------------------------------------------------------------------

export const helloSchema = v.strictObject({
  type: v.literal('hello'),
  version: v.pipe(v.string(), v.regex(/^\d+\.\d+\.\d+$/)),
  protocol: v.number(),
});
export type Hello = v.InferOutput<typeof helloSchema>;

export const statusResultSchema = v.object({
  version: v.string(),
  /** `jpki`: this reader holds the JPKI card (the popup shows which one). */
  readers: v.array(v.object({ name: v.string(), cardPresent: v.boolean(), jpki: v.boolean() })),
  card: v.nullable(
    v.object({
      type: v.string(),
      /** The authentication certificate (base64 DER): readable without a PIN, no personal data. */
      authCertificate: certificateField,
      hasSigningCertificate: v.boolean(),
      /** `text`: null when the card has no text application. */
      retries: v.object({ auth: v.number(), sign: v.number(), text: v.nullable(v.number()) }),
    }),
  ),
});

/** The login token: web-eid's shape, over the labelled block of auth-token.ts (so not web-eid:1.0). */
export const authTokenSchema = v.object({
  format: v.literal(AUTH_TOKEN_FORMAT),
  unverifiedCertificate: certificateField,
  algorithm: v.literal(AUTH_TOKEN_ALGORITHM),
  signature: base64Result(),
  appVersion: v.string(),
});

export const signatureAlgorithmSchema = v.object({
  cryptoAlgorithm: v.literal('RSA'),
  hashFunction: hashFunctionField,
  paddingScheme: v.literal('PKCS1.5'),
});

export const signResultSchema = v.object({
  certificate: certificateField,
  signatures: v.array(base64Result()),
  signatureAlgorithm: signatureAlgorithmSchema,
});

/**
 * What every portal answer carries besides its own fields: this installation's uuid and the
 * combination code of the card and the uuid (never the card's manufacture number itself).
 */
const portalIdentity = {
  uuid: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  combinationCode: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
};

/** One item of the card face's text as the card holds it (UTF-8 decoded). */
const cardFaceItem = () => v.pipe(v.string(), v.maxLength(1024));

export const commandResultSchemas = {
  status: statusResultSchema,
  authenticate: authTokenSchema,
  'get-signing-certificate': v.object({ certificate: certificateField }),
  sign: signResultSchema,
  'portal-login': v.object({ signature: base64Result(), certificate: certificateField, ...portalIdentity }),
  'portal-sign': v.object({ signatures: v.array(base64Result()), certificate: certificateField, ...portalIdentity }),
  /** name, address, birthday (YYYYMMDD) and sex (1/2/9), as EF 0002 of the text application holds them. */
  'portal-text': v.object({ name: cardFaceItem(), address: cardFaceItem(), birthday: cardFaceItem(), sex: cardFaceItem(), ...portalIdentity }),
  'change-pin': v.object({}),
} as const satisfies Record<Command, v.GenericSchema>;

export type CommandResult<C extends Command> = v.InferOutput<(typeof commandResultSchemas)[C]>;
export type AuthToken = v.InferOutput<typeof authTokenSchema>;
export type StatusResult = v.InferOutput<typeof statusResultSchema>;
export type SignResult = v.InferOutput<typeof signResultSchema>;

export const errorBodySchema = v.object({
  code: v.picklist(ERROR_CODES),
  message: v.string(),
  retriesLeft: v.optional(v.number()),
});

export const replySchema = v.union([
  v.object({ id: v.number(), result: v.record(v.string(), v.unknown()) }),
  v.object({ id: v.number(), error: errorBodySchema }),
]);
export type Reply = v.InferOutput<typeof replySchema>;

function base64Result() {
  return v.pipe(v.string(), v.maxLength(4096));
}
