/**
 * One request → its command module, through a table with a handler for every native command of
 * operations.ts: a command without a handler here, or a handler of the wrong type, is a compile
 * error. The request was validated (parseNativeRequest) before it gets here.
 */
import type { Command, CommandArguments, CommandResult } from '@jpki-bridge/shared/protocol/native';
import type { ParsedRequest } from '@jpki-bridge/shared/protocol/validate';
import { authenticate } from '../commands/authenticate.ts';
import { changePin } from '../commands/change-pin.ts';
import type { CommandContext } from '../commands/context.ts';
import { getSigningCertificate } from '../commands/get-signing-certificate.ts';
import { portalLogin } from '../commands/portal-login.ts';
import { portalSign } from '../commands/portal-sign.ts';
import { portalText } from '../commands/portal-text.ts';
import { sign } from '../commands/sign.ts';
import { status } from '../commands/status.ts';

type Handler<C extends Command> = (args: CommandArguments<C>, ctx: CommandContext) => Promise<CommandResult<C>>;
type Handlers = { [C in Command]: Handler<C> };

const HANDLERS = {
  status,
  authenticate,
  'get-signing-certificate': getSigningCertificate,
  sign,
  'portal-login': portalLogin,
  'portal-sign': portalSign,
  'portal-text': portalText,
  'change-pin': changePin,
} satisfies Handlers;

export function dispatch<C extends Command>(request: ParsedRequest<C>, ctx: CommandContext): Promise<CommandResult<C>> {
  const handlers: Handlers = HANDLERS;
  const handler: Handler<C> = handlers[request.command];
  return handler(request.arguments, ctx);
}
