/**
 * The development CA's certificate revocation lists (RFC 5280 § 5, v2, SHA-256 with RSA): one per
 * issuer, listing the card's certificates the state marks revoked (the `revoked` and `moved`
 * personas). A site's test verifier is given them as J-LIS's CRLs are given in production
 * (`CrlRevocationChecker`).
 */
import { sign, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { KeyKind, VirtualCardState } from './state.ts';

const { asn1, pki } = forge;
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

const seq = (value: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
const utcTime = (date: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
const algorithm = () =>
  seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(SHA256_WITH_RSA).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  ]);
const der = (node: forge.asn1.Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');

/** The CRL of the `kind` issuer (DER), valid from `now` for a day. */
function devCaCrl(state: VirtualCardState, kind: KeyKind, now: Date = new Date()): Buffer {
  const ca = state.ca[kind];
  const issuer = pki.certificateFromAsn1(asn1.fromDer(forge.util.decode64(ca.certificate)));
  const leaf = state[kind];
  const revoked = leaf && state.revoked?.includes(kind) ? [new X509Certificate(Buffer.from(leaf.certificate, 'base64')).serialNumber] : [];
  const entries = revoked.map((serialHex) =>
    seq([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(serialHex)), utcTime(now)]),
  );
  const tbs = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(1)), // v2
    algorithm(),
    pki.distinguishedNameToAsn1(issuer.subject),
    utcTime(now),
    utcTime(new Date(now.getTime() + 86_400_000)),
    ...(entries.length ? [seq(entries)] : []),
  ]);
  const signature = sign('sha256', der(tbs), ca.key);
  return der(seq([tbs, algorithm(), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`)]));
}

/** Both issuers' CRLs. */
export function devCaCrls(state: VirtualCardState, now?: Date): Buffer[] {
  return [devCaCrl(state, 'auth', now), devCaCrl(state, 'sign', now)];
}
