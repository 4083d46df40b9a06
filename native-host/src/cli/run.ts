/**
 * `jpki-bridge run <command> '<json arguments>' [--card pcsc|virtual:FILE]` — one command without
 * a browser, through the same validation, policy and card code as the host. The PIN (and the new
 * PIN of change-pin) is asked on the terminal without echo, or read from stdin; a `pin` in the
 * JSON is refused, because argv is visible to every user of the machine.
 */
import { serializeError } from '@jpki-bridge/shared/errors';
import { operationOfCommand } from '@jpki-bridge/shared/operations';
import { isPinKind, type PinKind } from '@jpki-bridge/shared/policy';
import { COMMANDS, commandArgumentSchemas, isCommand } from '@jpki-bridge/shared/protocol/native';
import { parseNativeRequest, RequestError } from '@jpki-bridge/shared/protocol/validate';
import { createBackend, parseCardSpec } from '../card/create-backend.ts';
import { commandContext } from '../commands/context.ts';
import { dispatch } from '../host/dispatch.ts';
import { PIN_PROMPTS, secretReader } from './read-secret.ts';

const NEW_PIN_PROMPT = '新しい暗証番号 / new PIN: ';

export async function main(args: string[]): Promise<number> {
  const positional: string[] = [];
  let card: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--card') card = args[++i];
    else if (args[i]!.startsWith('--card=')) card = args[i]!.slice('--card='.length);
    else positional.push(args[i]!);
  }
  const [command, json = '{}'] = positional;
  if (!command || positional.length > 2 || !isCommand(command)) {
    process.stderr.write(`usage: jpki-bridge run <${COMMANDS.join('|')}> '<json arguments>' [--card pcsc|virtual:FILE]\n`);
    return 64;
  }
  let args0: Record<string, unknown>;
  try {
    args0 = JSON.parse(json);
    if (typeof args0 !== 'object' || args0 === null || Array.isArray(args0)) throw new Error('not an object');
  } catch (error) {
    // Not the parser's own message: newer V8 quotes the input in it, and a PIN may be in there.
    process.stderr.write(`jpki-bridge run: the arguments must be a JSON object (${error instanceof SyntaxError ? 'not valid JSON' : 'not an object'})\n`);
    return 64;
  }
  if ('pin' in args0 || 'newPin' in args0) {
    process.stderr.write('jpki-bridge run: 暗証番号を引数に書かないでください (入力を求めます) / do not put PINs in argv: you will be asked\n');
    return 64;
  }
  let backend;
  try {
    backend = createBackend(parseCardSpec(card));
  } catch (error) {
    process.stderr.write(`jpki-bridge run: ${(error as Error).message}\n`);
    return 64;
  }
  const secrets = secretReader();
  try {
    const full: Record<string, unknown> = { ...args0 };
    const { pin } = operationOfCommand(command);
    if (pin !== undefined) {
      // 'chosen': the arguments' `kind` picks the key (change-pin).
      const kind: PinKind = pin === 'chosen' ? (isPinKind(args0.kind) ? args0.kind : 'sign') : pin;
      full.pin = await secrets.read(PIN_PROMPTS[kind]);
      if ('newPin' in commandArgumentSchemas[command].entries) full.newPin = await secrets.read(NEW_PIN_PROMPT);
    }
    const result = await dispatch(parseNativeRequest({ id: 0, command, arguments: full }), commandContext(backend));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    const typed = error instanceof RequestError ? error.error : error;
    process.stdout.write(`${JSON.stringify({ error: serializeError(typed) }, null, 2)}\n`);
    return 1;
  } finally {
    secrets.close();
    await backend.close();
  }
}
