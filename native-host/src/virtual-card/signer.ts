/**
 * COMPUTE DIGITAL SIGNATURE's arithmetic: the card pads what it gets (a DigestInfo) with
 * PKCS#1 v1.5 type 1 and applies the private key — exactly what privateEncrypt does.
 */
import { constants, createPrivateKey, privateEncrypt, type KeyObject } from 'node:crypto';

export class Signer {
  private readonly key: KeyObject;

  constructor(pem: string) {
    this.key = createPrivateKey(pem);
  }

  sign(input: Uint8Array): Uint8Array {
    return new Uint8Array(privateEncrypt({ key: this.key, padding: constants.RSA_PKCS1_PADDING }, input));
  }
}
