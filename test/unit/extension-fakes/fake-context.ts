/** What the background's tests share: a valid nonce, our own extension as a sender, a token, and a BackgroundContext over fakes. */
import { AUTH_TOKEN_ALGORITHM, AUTH_TOKEN_FORMAT } from '@jpki-bridge/shared/auth-token';
import type { BackgroundContext } from '../../../extension/src/background/context.ts';
import { DialogRateLimit } from '../../../extension/src/background/dialog-rate-limit.ts';
import { OperationLock } from '../../../extension/src/background/operation-lock.ts';

export const NONCE = 'q'.repeat(43) + '=';
export const SELF = { id: 'ext', baseUrl: 'chrome-extension://ext/' };
export const TOKEN = {
  format: AUTH_TOKEN_FORMAT,
  unverifiedCertificate: 'MAA=',
  algorithm: AUTH_TOKEN_ALGORITHM,
  signature: 'AAAA',
  appVersion: 'https://x/0.1.0',
};

/** The background's context with `host` and `prompt` fakes and short host timeouts; `allow` is the allow-list. */
export function fakeContext(
  host: { connect: BackgroundContext['connect'] },
  prompt: { open: BackgroundContext['openPrompt'] },
  allow: string[] = [],
): BackgroundContext {
  return {
    connect: host.connect,
    openPrompt: prompt.open,
    lock: new OperationLock(),
    allowList: async () => allow,
    isBlocked: async () => false,
    dialogLimit: new DialogRateLimit(),
    extensionVersion: '0.1.0',
    helloTimeoutMs: 200,
    requestTimeoutMs: 500,
  };
}
