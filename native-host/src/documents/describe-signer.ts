/** What the CLI prints about a signing certificate: the holder's name and the validity, Japanese first. */
import { X509Certificate } from 'node:crypto';
import { holderOf } from '@jpki-bridge/relying-party';

export function describeSigner(certificate: Uint8Array): string {
  const x509 = new X509Certificate(certificate);
  const name = holderOf(certificate).name ?? x509.subject.replace(/\n/g, ', ');
  return [`署名者 / signer: ${name}`, `証明書の有効期間 / certificate valid: ${isoDay(x509.validFrom)} – ${isoDay(x509.validTo)}`].join('\n');
}

function isoDay(text: string): string {
  return new Date(text).toISOString().slice(0, 10);
}
