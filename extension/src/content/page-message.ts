/**
 * Reading a `jpki:*` request out of a page's postMessage data. The page is hostile: data may be
 * null, an array, an object whose `action` is an object with a `startsWith` property, strings of
 * megabytes. Only the action's own fields (PAGE_REQUEST_FIELDS) are copied out, as primitives
 * within their PAGE_FIELDS bound; anything else — including any `origin` the page puts in — is
 * dropped. The background validates again with the shared schemas; this is only the first, cheap
 * filter (no valibot here: size budget — operations.ts is plain constants).
 */
import { PAGE_FIELDS, PAGE_REQUEST_FIELDS, type PageAction, type PageFieldName, isPageAction } from '@jpki-bridge/shared/operations';

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type ReadResult =
  | null // not ours: ignore silently (the page's own messages, our own replies)
  | { action: PageAction; requestId: string | undefined; request: Record<string, unknown> | null };

export function readPageMessage(data: unknown): ReadResult {
  try {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    const record = data as Record<string, unknown>;
    const action = record.action;
    if (!isPageAction(action)) return null;
    const id = record.requestId;
    const requestId = typeof id === 'string' && REQUEST_ID.test(id) ? id : undefined;
    return { action, requestId, request: copyFields(PAGE_REQUEST_FIELDS[action], record) };
  } catch {
    // A throwing getter or a revoked proxy: not something we answer.
    return null;
  }
}

/** The listed fields (and `timeout`), copied as primitives; null when one is missing, mistyped or too large. */
function copyFields(names: readonly PageFieldName[], data: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const timeout = data.timeout;
  if (timeout !== undefined) {
    if (typeof timeout !== 'number' || !Number.isFinite(timeout)) return null;
    out.timeout = timeout;
  }
  for (const name of names) {
    const bound: { maxLength: number; maxItems?: number; optional?: boolean } = PAGE_FIELDS[name];
    const value = data[name];
    if (value === undefined && bound.optional) continue;
    const copied = bound.maxItems === undefined ? copyString(value, bound.maxLength) : copyList(value, bound.maxLength, bound.maxItems);
    if (copied === null) return null;
    out[name] = copied;
  }
  return out;
}

function copyString(value: unknown, maxLength: number): string | null {
  return typeof value === 'string' && value.length <= maxLength ? value : null;
}

/** A fresh array of 1–maxItems strings (never the page's own array object). */
function copyList(value: unknown, maxLength: number, maxItems: number): string[] | null {
  if (!Array.isArray(value) || value.length < 1 || value.length > maxItems) return null;
  const copied: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = copyString(value[i], maxLength);
    if (item === null) return null;
    copied.push(item);
  }
  return copied;
}
