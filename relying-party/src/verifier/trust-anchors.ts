/**
 * Trust anchors: the self-signed J-LIS roots shipped in roots/ (bundledJpkiRoots, the default),
 * others a site operator downloaded from jpki.go.jp/ca, or the development CA of the virtual
 * card. JPKI has no intermediates, so an anchor is the issuer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CertificateParseError, parseCertificate, type ParsedCertificate } from './certificate.ts';

export interface TrustAnchor {
  certificate: ParsedCertificate;
  /** Where it came from (a path, or a label), for messages. */
  source: string;
}

/**
 * SHA-256 fingerprints of the real J-LIS roots, the files in roots/ (roots/README.md records
 * their source and validity). The 2019 generation is not among them: an operator who needs it
 * loads it with its own `pin` list.
 */
export const JPKI_ROOT_FINGERPRINTS: Readonly<Record<string, string>> = {
  'auth-2015': '4D:CF:C4:CA:0A:AF:9F:B2:A3:08:1B:3F:0C:99:1C:32:0B:3A:CC:00:86:67:A3:41:EE:AE:C5:AF:1D:58:CA:7D',
  'auth-2023': '64:11:4F:29:62:0C:24:ED:26:31:D4:64:76:A0:40:E7:EE:74:0D:95:60:89:C0:0B:03:6A:6A:81:18:C3:22:B5',
  'sign-2015': '19:64:54:05:A1:FE:14:37:74:34:BD:55:95:76:28:AC:40:38:55:7C:54:24:03:A2:24:3F:21:C7:06:FC:93:55',
  'sign-2023': 'D2:27:F6:CD:E1:1D:35:C5:25:21:78:F1:06:F8:43:D2:46:51:94:49:75:41:3B:53:9F:A2:FB:68:DB:FA:36:5F',
};

export class TrustAnchorError extends Error {}

export interface LoadOptions {
  /**
   * When set, every certificate loaded must have one of these SHA-256 fingerprints (any case, with
   * or without colons); `true` means the JPKI roots above. A file that does not match is refused.
   */
  pin?: boolean | readonly string[];
}

const normalize = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();

/** Certificates in a PEM text (one or more blocks) or a DER buffer. */
export function decodeCertificates(data: Uint8Array | string): Uint8Array[] {
  const text = typeof data === 'string' ? data : looksLikePem(data) ? new TextDecoder().decode(data) : null;
  if (text === null) return [data as Uint8Array];
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new TrustAnchorError('no PEM certificate found');
  return blocks.map((block) => Buffer.from(block[1]!.replace(/\s+/g, ''), 'base64'));
}

function looksLikePem(data: Uint8Array): boolean {
  return new TextDecoder().decode(data.subarray(0, 64)).includes('-----BEGIN');
}

/** Parses anchors from PEM text or DER, checking pinning and that each is a CA that signed itself. */
export function trustAnchorsFrom(data: Uint8Array | string, source: string, options: LoadOptions = {}): TrustAnchor[] {
  const pins = options.pin === true ? Object.values(JPKI_ROOT_FINGERPRINTS).map(normalize) : Array.isArray(options.pin) ? options.pin.map(normalize) : null;
  return decodeCertificates(data).map((der) => {
    let certificate: ParsedCertificate;
    try {
      certificate = parseCertificate(der);
    } catch (error) {
      if (error instanceof CertificateParseError) throw new TrustAnchorError(`${source}: ${error.message}`);
      throw error;
    }
    if (pins && !pins.includes(normalize(certificate.fingerprint256))) {
      throw new TrustAnchorError(`${source}: fingerprint ${certificate.fingerprint256} is not pinned; refusing it`);
    }
    if (!certificate.isCa) throw new TrustAnchorError(`${source}: not a CA certificate`);
    if (!certificate.x509.verify(certificate.x509.publicKey)) {
      throw new TrustAnchorError(`${source}: not self-signed (JPKI roots are)`);
    }
    return { certificate, source };
  });
}

/** Reads anchor files (PEM or DER), e.g. the roots downloaded from jpki.go.jp/ca. */
export function loadTrustAnchors(paths: readonly string[], options: LoadOptions = {}): TrustAnchor[] {
  return paths.flatMap((path) => trustAnchorsFrom(readFileSync(path), path, options));
}

/** The folder of the J-LIS roots shipped with the verifier (a packaged build carries it beside its code). */
export const BUNDLED_JPKI_ROOTS_DIR = fileURLToPath(new URL('./roots/', import.meta.url));

let bundled: readonly TrustAnchor[] | undefined;

/** The real J-LIS roots in roots/, each refused unless its fingerprint is pinned above; read once. */
export function bundledJpkiRoots(): readonly TrustAnchor[] {
  bundled ??= readdirSync(BUNDLED_JPKI_ROOTS_DIR)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .flatMap((name) => trustAnchorsFrom(readFileSync(`${BUNDLED_JPKI_ROOTS_DIR}${name}`), `J-LIS root ${name} (bundled)`, { pin: true }));
  return bundled;
}
