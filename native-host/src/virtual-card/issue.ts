/** Makes a new virtual card: keys (Node's native RSA: fast), the development CA, certificates and the card's numbers. */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AtrChoice } from './atr.ts';
import { fakeMyNumberFrom, manufactureNumberFrom } from './card-numbers.ts';
import { makeAuthCertificate, makeRoot, makeSignCertificate, type KeyPairPem } from './dev-ca.ts';
import { addYears, fifthBirthdayAfter, makePersona, type PersonaOptions } from './persona.ts';
import { STATE_FORMAT, freshPins, type KeyKind, type PersonaKind, type VirtualCardState } from './state.ts';

export interface CreateCardOptions extends PersonaOptions {
  /** Which ATR the card answers with (atr.ts); `neutral` by default. */
  atr?: AtrChoice;
  /**
   * An earlier card's development CA: the new card is issued by the same issuer, as a renewal or
   * a reissue after a loss is by J-LIS — new keys and certificates, the same roots to trust.
   */
  ca?: VirtualCardState['ca'];
}

export async function createCardState(options: CreateCardOptions = {}): Promise<VirtualCardState> {
  const persona = makePersona(options);
  const now = options.now ?? new Date();
  const issued = new Date(persona.issued);
  // Roots outlive every end-entity certificate, as JPKI's generations do.
  const rootFrom = addYears(issued, -1);
  const rootTo = addYears(now, 10);
  const caAuth = options.ca ? keyPairOf(options.ca.auth.key) : rsaKeyPair();
  const caSign = options.ca ? keyPairOf(options.ca.sign.key) : rsaKeyPair();
  const authKey = rsaKeyPair();
  const notAfter = fifthBirthdayAfter(persona.birth, issued);
  const hasSign = persona.kind !== 'minor';
  const signKey = hasSign ? rsaKeyPair() : null;
  return {
    format: STATE_FORMAT,
    atr: options.atr ?? 'neutral',
    persona,
    cardId: { manufactureNumber: manufactureNumberFrom(randomBytes(32)) },
    text: { myNumber: fakeMyNumberFrom(randomBytes(32)) },
    ca: options.ca ?? {
      auth: { key: caAuth.privateKey, certificate: makeRoot('auth', caAuth, rootFrom, rootTo) },
      sign: { key: caSign.privateKey, certificate: makeRoot('sign', caSign, rootFrom, rootTo) },
    },
    auth: { key: authKey.privateKey, certificate: makeAuthCertificate(authKey, caAuth, persona, notAfter) },
    sign: signKey ? { key: signKey.privateKey, certificate: makeSignCertificate(signKey, caSign, persona, notAfter) } : null,
    pins: lockedPins(persona.kind),
    ...(REVOKED[persona.kind] ? { revoked: REVOKED[persona.kind] } : {}),
  };
}

/** A lost card has both certificates revoked; a move revokes the signing one (its address changed). */
const REVOKED: Partial<Record<PersonaKind, KeyKind[]>> = { revoked: ['auth', 'sign'], moved: ['sign'] };

function lockedPins(kind: PersonaKind): VirtualCardState['pins'] {
  const pins = freshPins();
  if (kind === 'auth-pin-locked') pins.auth.retriesLeft = 0;
  if (kind === 'sign-pin-locked') pins.sign.retriesLeft = 0;
  return pins;
}

/** A stored CA key (PKCS#1 PEM) with its public half, as the certificate makers take it. */
function keyPairOf(privateKey: string): KeyPairPem {
  return { privateKey, publicKey: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
}

function rsaKeyPair(): KeyPairPem {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}
