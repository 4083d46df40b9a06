/**
 * "Copy diagnostics": what a helper needs to debug a setup, and nothing personal — versions,
 * reader names, card presence (and which reader holds the JPKI card), card type, counters. No certificate, no name, no serial number.
 */
import type { HostStatus } from '../messages.ts';

export function diagnostics(status: HostStatus | null, error: { code: string } | null, userAgent: string): string {
  const lines = {
    extensionVersion: status?.extensionVersion,
    hostVersion: status?.hostVersion,
    userAgent,
    error: error?.code ?? null,
    readers: status?.readers.map((r) => ({ name: r.name, cardPresent: r.cardPresent, jpki: r.jpki })) ?? [],
    card: status?.card ? { type: status.card.type, hasSigningCertificate: status.card.hasSigningCertificate, retries: status.card.retries } : null,
  };
  return JSON.stringify(lines, null, 2);
}
