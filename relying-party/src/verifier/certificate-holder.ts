/** The holder's data (name, address, …) written in a signing certificate, read without any trust check: for display only. */
import { parseCertificate } from './certificate.ts';
import { readHolder, type Holder } from './holder.ts';

export function holderOf(certificateDer: Uint8Array): Holder {
  return readHolder(parseCertificate(certificateDer));
}
