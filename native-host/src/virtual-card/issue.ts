/** Makes a new virtual card: keys (Node's native RSA: fast), the development CA and certificates. */
import { generateKeyPairSync } from 'node:crypto';
import { makeAuthCertificate, makeRoot, makeSignCertificate, type KeyPairPem } from './dev-ca.ts';
import { addYears, fifthBirthdayAfter, makePersona, type PersonaOptions } from './persona.ts';
import { freshPins, type VirtualCardState } from './state.ts';

export type CreateCardOptions = PersonaOptions;

export async function createCardState(options: CreateCardOptions = {}): Promise<VirtualCardState> {
  const persona = makePersona(options);
  const now = options.now ?? new Date();
  const issued = new Date(persona.issued);
  // Roots outlive every end-entity certificate, as JPKI's generations do.
  const rootFrom = addYears(issued, -1);
  const rootTo = addYears(now, 10);
  const caAuth = rsaKeyPair();
  const caSign = rsaKeyPair();
  const authKey = rsaKeyPair();
  const notAfter = fifthBirthdayAfter(persona.birth, issued);
  const hasSign = persona.kind !== 'minor';
  const signKey = hasSign ? rsaKeyPair() : null;
  return {
    format: 'jpki-bridge-virtual-card/1',
    persona,
    ca: {
      auth: { key: caAuth.privateKey, certificate: makeRoot('auth', caAuth, rootFrom, rootTo) },
      sign: { key: caSign.privateKey, certificate: makeRoot('sign', caSign, rootFrom, rootTo) },
    },
    auth: { key: authKey.privateKey, certificate: makeAuthCertificate(authKey, caAuth, persona, notAfter) },
    sign: signKey ? { key: signKey.privateKey, certificate: makeSignCertificate(signKey, caSign, persona, notAfter) } : null,
    pins: freshPins(),
  };
}

function rsaKeyPair(): KeyPairPem {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}
