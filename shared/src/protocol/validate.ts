/**
 * Trust-boundary validation of native requests: raw keys first (a plain object, no key that
 * JavaScript gives a meaning to), then structure (the schemas), then meaning (checks.ts), each
 * failure mapped to its own error code. PIN format is NOT checked here: it is the policy's first
 * step (ERR_JPKI_PIN_FORMAT), applied by the command before the card is touched.
 */
import * as v from 'valibot';
import { JpkiError } from '../errors.ts';
import { checkFields } from './checks.ts';
import { type Command, type CommandArguments, commandArgumentSchemas, isCommand, requestEnvelopeSchema } from './native.ts';

export interface ParsedRequest<C extends Command = Command> {
  id: number;
  command: C;
  arguments: CommandArguments<C>;
}

/** A decoded JSON value → a typed request, or a JpkiError with the request id when one was readable. */
export function parseNativeRequest(message: unknown): ParsedRequest {
  const readable = readId(message);
  const envelope = v.safeParse(requestEnvelopeSchema, message);
  if (!envelope.success) throw new RequestError(readable, new JpkiError('ERR_JPKI_INVALID_REQUEST', describe(envelope.issues)));
  const { id, command } = envelope.output;
  const notPlain = plainObjectProblem(message, 'the request');
  if (notPlain) throw new RequestError(id, notPlain);
  if (!isCommand(command)) throw new RequestError(id, new JpkiError('ERR_JPKI_UNKNOWN_COMMAND', `unknown command: ${command.slice(0, 64)}`));
  try {
    return { id, command, arguments: parseCommandArguments(command, envelope.output.arguments) };
  } catch (error) {
    throw new RequestError(id, error instanceof JpkiError ? error : new JpkiError('ERR_JPKI_INVALID_REQUEST'));
  }
}

export function parseCommandArguments<C extends Command>(command: C, args: unknown): CommandArguments<C> {
  const notPlain = plainObjectProblem(args, 'arguments');
  if (notPlain) throw notPlain;
  const parsed = v.safeParse(commandArgumentSchemas[command], args);
  if (!parsed.success) throw new JpkiError('ERR_JPKI_INVALID_REQUEST', describe(parsed.issues));
  checkFields(parsed.output);
  return parsed.output;
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

/**
 * Keys JavaScript gives a meaning to. The schemas skip them silently (valibot never reads them,
 * against prototype pollution); a request that holds one is refused instead, so that what the
 * host acts on is exactly what was sent.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `value` is not an object literal's kind of object (an array, a class instance, a reserved key), or null. */
function plainObjectProblem(value: unknown, what: string): JpkiError | null {
  const refuse = (why: string) => new JpkiError('ERR_JPKI_INVALID_REQUEST', `${what} ${why}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse('must be an object');
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return refuse('must be a plain object');
  // Only these fixed names are ever echoed: another key could be anything the caller typed.
  const reserved = Reflect.ownKeys(value).find((key) => typeof key !== 'string' || RESERVED_KEYS.has(key));
  if (reserved === undefined) return null;
  return refuse(typeof reserved === 'string' ? `holds the reserved key ${reserved}` : 'holds a symbol key');
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
