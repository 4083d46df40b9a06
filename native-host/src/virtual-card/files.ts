/**
 * The JPKI applet's elementary files (docs/ARCHITECTURE.md § 8), built from the state. Certificate EFs are
 * fixed-size and padded like the real card's, so a driver that reads until the end instead of
 * using the `30 82 LL LL` header gets padding — the real card's trap, reproduced on purpose.
 */
import { CERTIFICATE_PRESENT, EF, TOKEN_INFO_LABEL } from '@jpki-bridge/shared/card';
import type { KeyKind, PinKind, VirtualCardState } from './state.ts';

/** Who may read or use the file. */
export type Access = 'always' | PinKind;

export type CardFile = { kind: 'binary'; data: Uint8Array; access: Access } | { kind: 'key'; pin: KeyKind } | { kind: 'pin'; pin: PinKind };

/** Size of a certificate EF; the certificate is followed by padding up to it. */
export const CERTIFICATE_EF_SIZE = 2048;
const PADDING = 0xff;
const TOKEN_INFO_SIZE = 32;

export function buildFiles(state: VirtualCardState): Map<string, CardFile> {
  const files = new Map<string, CardFile>();
  const hasSign = state.sign !== null;
  files.set(EF.authCertificate, { kind: 'binary', data: certificateEf(state.auth.certificate), access: 'always' });
  files.set(EF.authCaCertificate, { kind: 'binary', data: certificateEf(state.ca.auth.certificate), access: 'always' });
  files.set(EF.signCaCertificate, { kind: 'binary', data: certificateEf(state.ca.sign.certificate), access: 'always' });
  files.set(EF.tokenInfo, { kind: 'binary', data: tokenInfo(), access: 'always' });
  files.set(EF.certificateAvailability, {
    kind: 'binary',
    data: Uint8Array.from([hasSign ? CERTIFICATE_PRESENT : 0x00, CERTIFICATE_PRESENT, 0x00]),
    access: 'always',
  });
  files.set(EF.authKey, { kind: 'key', pin: 'auth' });
  files.set(EF.authPin, { kind: 'pin', pin: 'auth' });
  // The signing PIN EF stays even without a signing certificate, so that PIN tools (and OpenSC's
  // pkcs15 emulation, which asks both counters) keep working on a minor's card.
  files.set(EF.signPin, { kind: 'pin', pin: 'sign' });
  if (state.sign) {
    files.set(EF.signCertificate, { kind: 'binary', data: certificateEf(state.sign.certificate), access: 'sign' });
    files.set(EF.signKey, { kind: 'key', pin: 'sign' });
  }
  return files;
}

function certificateEf(base64Der: string): Uint8Array {
  const der = Buffer.from(base64Der, 'base64');
  const out = new Uint8Array(Math.max(CERTIFICATE_EF_SIZE, der.length)).fill(PADDING);
  out.set(der, 0);
  return out;
}

function tokenInfo(): Uint8Array {
  const out = new Uint8Array(TOKEN_INFO_SIZE).fill(0x20);
  out.set(new TextEncoder().encode(TOKEN_INFO_LABEL), 0);
  return out;
}
