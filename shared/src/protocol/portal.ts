/**
 * The Mynaportal-compatible DOM-event surface (DESIGN §3.2), served on allow-listed origins only.
 * `launchApp` detail is a JSON string; `recvMsg` answers with a JSON string.
 */
import * as v from 'valibot';
import { hashField, hashListField } from './fields.ts';

export const PORTAL_MODE = { login: '01', sign: '02', close: '05' } as const;

export const launchAppDetailSchema = v.variant('mode', [
  /** 01: sign `digest` (a DER DigestInfo, base64) with the authentication key. */
  v.object({ mode: v.literal('01'), digest: hashField }),
  /** 02: sign `digest` (one DigestInfo or an array) with the signing key. */
  v.object({ mode: v.literal('02'), digest: v.union([hashField, hashListField]) }),
  /** 05: close. */
  v.object({ mode: v.literal('05') }),
]);
export type LaunchAppDetail = v.InferOutput<typeof launchAppDetailSchema>;

export type RecvMsgDetail =
  | { mode: string; result: '0'; signature: string | string[]; certificate: string }
  | { mode: string; result: '1'; errcode: string };
