/**
 * A scripted native host behind the NativeChannel seam: says hello (or not), answers commands
 * with a handler, records requests and whether the port was closed.
 */
import type { NativeChannel, NativeConnector } from '../../../extension/src/background/native/channel.ts';
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { StatusResult } from '@jpki-bridge/shared/protocol/native';

export type Handler = (command: string, args: Record<string, unknown>) => unknown | Promise<unknown>;

export interface FakeHost {
  connect: NativeConnector;
  requests: Array<{ command: string; arguments: Record<string, unknown> }>;
  /** Channels opened / closed by the extension. */
  opened: number;
  closed: number;
}

export function fakeHost(handler: Handler, options: { hello?: object | null; disconnectReason?: string | undefined; version?: string } = {}): FakeHost {
  const host: FakeHost = {
    requests: [],
    opened: 0,
    closed: 0,
    connect: () => {
      host.opened++;
      let onMessage: (m: unknown) => void = () => {};
      let onDisconnect: (r: string | undefined) => void = () => {};
      let closed = false;
      const channel: NativeChannel = {
        send(message) {
          const request = message as { id: number; command: string; arguments: Record<string, unknown> };
          host.requests.push({ command: request.command, arguments: request.arguments });
          Promise.resolve()
            .then(() => handler(request.command, request.arguments))
            .then(
              (result) => !closed && onMessage({ id: request.id, result }),
              (error: unknown) =>
                !closed && onMessage({ id: request.id, error: error instanceof JpkiError ? error.toJSON() : { code: 'ERR_JPKI_UNKNOWN', message: 'x' } }),
            );
        },
        close() {
          if (!closed) host.closed++;
          closed = true;
        },
        onMessage: (l) => (onMessage = l),
        onDisconnect: (l) => (onDisconnect = l),
      };
      setTimeout(() => {
        if ('disconnectReason' in options) return onDisconnect(options.disconnectReason);
        if (options.hello === null) return;
        onMessage(options.hello ?? { type: 'hello', version: options.version ?? '0.1.0', protocol: 1 });
      }, 0);
      return channel;
    },
  };
  return host;
}

/** `retries.text` defaults to a full 3 (a card with the text application). */
export function statusResult(
  retries: { auth: number; sign: number; text?: number | null } = { auth: 3, sign: 5 },
  extra: Partial<NonNullable<StatusResult['card']>> = {},
): StatusResult {
  return {
    version: '0.1.0',
    readers: [{ name: 'Virtual PCD 00 00', cardPresent: true, jpki: true }],
    card: { type: 'jpki', authCertificate: 'MAA=', hasSigningCertificate: true, retries: { text: 3, ...retries }, ...extra },
  };
}
