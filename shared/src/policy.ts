/**
 * The law of the card as data: for each PIN kind, its key, PIN and certificate EFs and how many
 * misses lock it. Both the extension and the host consult this table; the host checks the rules
 * again whatever the extension says. Which verb uses which kind is operations.ts's `pin` column.
 */
import { EF } from './card.ts';

export type PinKind = 'auth' | 'sign';

export interface KeyPolicy {
  keyEf: string;
  pinEf: string;
  certificateEf: string;
  /** Consecutive misses after which the card locks the PIN. */
  maxTries: number;
}

export const POLICY: Record<PinKind, KeyPolicy> = {
  auth: { keyEf: EF.authKey, pinEf: EF.authPin, certificateEf: EF.authCertificate, maxTries: 3 },
  sign: { keyEf: EF.signKey, pinEf: EF.signPin, certificateEf: EF.signCertificate, maxTries: 5 },
};
