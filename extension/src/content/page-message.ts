/**
 * Reading a `jpki:*` request out of a page's postMessage data. The page is hostile: data may be
 * null, an array, an object whose `action` is an object with a `startsWith` property, strings of
 * megabytes. Only the expected primitive fields are copied out, by type and bound; anything else —
 * including any `origin` the page puts in — is dropped. The background validates again with the
 * shared schemas; this is only the first, cheap filter (no valibot here: size budget).
 */
import type { PageAction } from '@jpki-bridge/shared/protocol/page';

const ACTIONS: readonly string[] = ['jpki:status', 'jpki:authenticate', 'jpki:get-signing-certificate', 'jpki:sign'];

/** Generous bounds: the background applies the exact ones and their own error codes. */
const MAX_FIELD = 1024;
const MAX_CERTIFICATE = 16_384;
const MAX_HASH = 128;
const MAX_HASHES = 16;
const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type ReadResult =
  | null // not ours: ignore silently (the page's own messages, our own replies)
  | { action: PageAction; requestId: string | undefined; request: Record<string, unknown> | null };

export function readPageMessage(data: unknown): ReadResult {
  try {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    const record = data as Record<string, unknown>;
    const action = record.action;
    if (typeof action !== 'string' || !ACTIONS.includes(action)) return null;
    const id = record.requestId;
    const requestId = typeof id === 'string' && REQUEST_ID.test(id) ? id : undefined;
    return { action: action as PageAction, requestId, request: copyFields(action as PageAction, record) };
  } catch {
    // A throwing getter or a revoked proxy: not something we answer.
    return null;
  }
}

/** The fields of one action, copied as primitives; null when a present field has the wrong type. */
function copyFields(action: PageAction, data: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const timeout = data.timeout;
  if (timeout !== undefined) {
    if (typeof timeout !== 'number' || !Number.isFinite(timeout)) return null;
    out.timeout = timeout;
  }
  switch (action) {
    case 'jpki:status':
    case 'jpki:get-signing-certificate':
      return out;
    case 'jpki:authenticate': {
      const nonce = data.challengeNonce;
      if (!isBoundedString(nonce, MAX_FIELD)) return null;
      out.challengeNonce = nonce;
      return out;
    }
    case 'jpki:sign': {
      const { hashes, hashFunction, certificate } = data;
      if (!Array.isArray(hashes) || hashes.length < 1 || hashes.length > MAX_HASHES) return null;
      const copied: string[] = [];
      for (let i = 0; i < hashes.length; i++) {
        const hash: unknown = hashes[i];
        if (!isBoundedString(hash, MAX_HASH)) return null;
        copied.push(hash);
      }
      if (!isBoundedString(hashFunction, 16)) return null;
      out.hashes = copied;
      out.hashFunction = hashFunction;
      if (certificate !== undefined) {
        if (!isBoundedString(certificate, MAX_CERTIFICATE)) return null;
        out.certificate = certificate;
      }
      return out;
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

function isBoundedString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}
