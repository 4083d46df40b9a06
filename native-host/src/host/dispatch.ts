/**
 * One request → its command module. An exhaustive switch: a command added to the shared schema
 * without a module here is a compile error (the `never` default), not a silent `undefined`.
 */
import type { ParsedRequest } from '@jpki-bridge/shared/protocol/validate';
import type { CommandArguments } from '@jpki-bridge/shared/protocol/native';
import { authenticate } from '../commands/authenticate.ts';
import { changePin } from '../commands/change-pin.ts';
import type { CommandContext } from '../commands/context.ts';
import { getSigningCertificate } from '../commands/get-signing-certificate.ts';
import { portalLogin } from '../commands/portal-login.ts';
import { portalSign } from '../commands/portal-sign.ts';
import { sign } from '../commands/sign.ts';
import { status } from '../commands/status.ts';

export async function dispatch(request: ParsedRequest, ctx: CommandContext): Promise<Record<string, unknown>> {
  const command = request.command;
  switch (command) {
    case 'status':
      return status(request.arguments as CommandArguments<'status'>, ctx);
    case 'authenticate':
      return authenticate(request.arguments as CommandArguments<'authenticate'>, ctx);
    case 'get-signing-certificate':
      return getSigningCertificate(request.arguments as CommandArguments<'get-signing-certificate'>, ctx);
    case 'sign':
      return sign(request.arguments as CommandArguments<'sign'>, ctx);
    case 'portal-login':
      return portalLogin(request.arguments as CommandArguments<'portal-login'>, ctx);
    case 'portal-sign':
      return portalSign(request.arguments as CommandArguments<'portal-sign'>, ctx);
    case 'change-pin':
      return changePin(request.arguments as CommandArguments<'change-pin'>, ctx);
    default: {
      const unreachable: never = command;
      throw new Error(`no module for command ${String(unreachable)}`);
    }
  }
}
