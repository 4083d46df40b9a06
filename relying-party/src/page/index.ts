/**
 * jpki-bridge page library: use the My Number card from a web page through the extension.
 *
 *   import * as jpki from '/jpki-bridge.js';
 *   const token = await jpki.authenticate(nonceFromServer);   // → server verifies (relying-party/verifier)
 *
 * Every failure is a JpkiError with a wire error `code` (docs/PROTOCOL.md § Error codes) (and `retriesLeft` where relevant);
 * `messageJa(error)` / `messageEn(error)` give the user-facing text. The origin the token is
 * bound to is taken by the browser from this page — the library cannot (and need not) send one.
 * Requires a secure context (https, or http://localhost / 127.0.0.1 in development).
 */
import { bytesToBase64 } from '@jpki-bridge/shared/base64';
import { ERROR_MESSAGES, type ErrorCode, JpkiError } from '@jpki-bridge/shared/errors';
import type { HashFunction } from '@jpki-bridge/shared/digest-info';
import type { AuthToken, SignResult } from '@jpki-bridge/shared/protocol/native';
import type { PageStatusResult } from '@jpki-bridge/shared/protocol/page';
import { type ExchangeOptions, exchange } from './transport.ts';

export { JpkiError };
export type { AuthToken, SignResult, PageStatusResult, ErrorCode, HashFunction };

export interface OperationOptions {
  /** User-interaction timeout in ms (1 000–120 000; the extension never waits longer than 120 s). */
  timeout?: number;
}

/** The extension's and the host's versions (nothing about readers or the card). */
export function status(): Promise<PageStatusResult> {
  return exchange<PageStatusResult>('jpki:status', {});
}

/** Log in: a login token (jpki-bridge:1) binding the page's origin and challengeNonce, signed with the authentication key. */
export function authenticate(challengeNonce: string, options: OperationOptions = {}): Promise<AuthToken> {
  return exchange<AuthToken>('jpki:authenticate', { challengeNonce }, toExchange(options));
}

/** The signing certificate (base64 DER). Asks the signing PIN: the card hides it until then. */
export function getSigningCertificate(options: OperationOptions = {}): Promise<{ certificate: string }> {
  return exchange<{ certificate: string }>('jpki:get-signing-certificate', {}, toExchange(options));
}

/**
 * Sign 1–16 hashes with one PIN entry. `certificate` (base64 DER), when given, must be the
 * card's signing certificate, else ERR_JPKI_CERTIFICATE_MISMATCH and nothing is signed.
 */
export function sign(
  hashes: ReadonlyArray<string | Uint8Array>,
  hashFunction: HashFunction,
  certificate?: string,
  options: OperationOptions = {},
): Promise<SignResult> {
  const fields: Record<string, unknown> = {
    hashes: hashes.map((hash) => (typeof hash === 'string' ? hash : bytesToBase64(hash))),
    hashFunction,
  };
  if (certificate !== undefined) fields.certificate = certificate;
  return exchange<SignResult>('jpki:sign', fields, toExchange(options));
}

/** What a site's server prepared for a file or a PDF (its preparePdfSignature / prepareFileSignature). */
export interface DocumentToSign {
  /** base64 SHA-256 of the CMS signed attributes. */
  hash: string;
  hashFunction: HashFunction;
  /** The signing certificate the server expects, when it knows it: another card signs nothing. */
  certificate?: string;
}

/**
 * Signs a document the server prepared, with one PIN dialog; send the answer back to the server's
 * completeDocumentSignature (docs/document-signing.md).
 */
export async function signDocument(prepared: DocumentToSign, options: OperationOptions = {}): Promise<{ signature: string; certificate: string }> {
  const result = await sign([prepared.hash], prepared.hashFunction, prepared.certificate, options);
  return { signature: result.signatures[0]!, certificate: result.certificate };
}

export function messageJa(error: unknown): string {
  return ERROR_MESSAGES[codeOf(error)].ja;
}

export function messageEn(error: unknown): string {
  return ERROR_MESSAGES[codeOf(error)].en;
}

function codeOf(error: unknown): ErrorCode {
  return error instanceof JpkiError ? error.code : 'ERR_JPKI_UNKNOWN';
}

function toExchange(options: OperationOptions): ExchangeOptions {
  return options.timeout === undefined ? {} : { timeout: options.timeout };
}
