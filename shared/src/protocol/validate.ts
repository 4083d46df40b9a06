/**
 * Trust-boundary validation of native requests: structure first (schemas), then meaning, each
 * failure mapped to its own §10 code. PIN format is NOT checked here: it is step 1 of the
 * policy (ERR_JPKI_PIN_FORMAT), applied by the command before the card is touched.
 */
import * as v from 'valibot';
import { isInAuthTokenDomain } from '../auth-token.ts';
import { base64ToBytes } from '../base64.ts';
import { HASH_INFO, parseDigestInfo } from '../digest-info.ts';
import { JpkiError } from '../errors.ts';
import { isValidChallengeNonce } from '../nonce.ts';
import { isValidOrigin } from '../origin.ts';
import { type Command, type CommandArguments, commandArgumentSchemas, isCommand, requestEnvelopeSchema } from './native.ts';

export interface ParsedRequest<C extends Command = Command> {
  id: number;
  command: C;
  arguments: CommandArguments<C>;
}

/** A decoded JSON value → a typed request, or a JpkiError with the request id when one was readable. */
export function parseNativeRequest(message: unknown): ParsedRequest {
  const envelope = v.safeParse(requestEnvelopeSchema, message);
  if (!envelope.success) throw new RequestError(readId(message), new JpkiError('ERR_JPKI_INVALID_REQUEST', describe(envelope.issues)));
  const { id, command } = envelope.output;
  if (!isCommand(command)) throw new RequestError(id, new JpkiError('ERR_JPKI_UNKNOWN_COMMAND', `unknown command: ${command.slice(0, 64)}`));
  try {
    return { id, command, arguments: parseCommandArguments(command, envelope.output.arguments) };
  } catch (error) {
    throw new RequestError(id, error instanceof JpkiError ? error : new JpkiError('ERR_JPKI_INVALID_REQUEST'));
  }
}

export function parseCommandArguments<C extends Command>(command: C, args: unknown): CommandArguments<C> {
  const parsed = v.safeParse(commandArgumentSchemas[command], args);
  if (!parsed.success) throw new JpkiError('ERR_JPKI_INVALID_REQUEST', describe(parsed.issues));
  const out = parsed.output as Record<string, unknown>;
  if ('origin' in out && !isValidOrigin(out.origin)) throw new JpkiError('ERR_JPKI_INVALID_ORIGIN');
  if ('challengeNonce' in out && !isValidChallengeNonce(out.challengeNonce)) throw new JpkiError('ERR_JPKI_INVALID_NONCE');
  if (Array.isArray(out.hashes)) {
    const length = HASH_INFO[out.hashFunction as keyof typeof HASH_INFO].length;
    if (!out.hashes.every((hash: string) => base64ToBytes(hash).length === length)) {
      throw new JpkiError('ERR_JPKI_INVALID_HASH', `every hash must be ${length} bytes for ${String(out.hashFunction)}`);
    }
  }
  const digestInfos = typeof out.digestInfo === 'string' ? [out.digestInfo] : (out.digestInfos as string[] | undefined);
  // A login token's block is never portal data: else a portal page could have another site's token signed.
  if (digestInfos?.some((d) => isInAuthTokenDomain(base64ToBytes(d)))) throw new JpkiError('ERR_JPKI_INVALID_HASH', 'a login token block is not portal data');
  if (digestInfos && !digestInfos.every((d) => parseDigestInfo(base64ToBytes(d)) !== null)) {
    throw new JpkiError('ERR_JPKI_INVALID_HASH', 'not a SHA-1/256/384/512 DigestInfo');
  }
  return parsed.output as CommandArguments<C>;
}

/** Carries the request id (or null) so that the host can answer the right request. */
export class RequestError extends Error {
  constructor(
    readonly id: number | null,
    readonly error: JpkiError,
  ) {
    super(error.message);
    this.name = 'RequestError';
  }
}

function readId(message: unknown): number | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const id = (message as Record<string, unknown>).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/** Issue paths and messages only: never echo values (a PIN could be among them). */
function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.expected ? `expected ${issue.expected}` : issue.kind}`)
    .join('; ');
}
