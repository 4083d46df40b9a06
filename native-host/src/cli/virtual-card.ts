/**
 * `jpki-bridge virtual-card create|serve|reset-pins|show --state FILE …` (docs/virtual-card-apps.md).
 * Wiring only: the card and its bridge live in ../virtual-card/.
 */
import { parseArgs } from 'node:util';
import type { JpkiSex } from '@jpki-bridge/shared/jpki-certificate';
import type { PersonaKind } from '../virtual-card/state.ts';

const USAGE = `usage:
  jpki-bridge virtual-card create --state FILE [--persona adult|minor|expired|auth-pin-locked|sign-pin-locked|revoked|moved] [--name NAME] [--birth YYYY-MM-DD] [--address ADDRESS] [--sex 1|2|9] [--atr neutral|contact|contactless]
  jpki-bridge virtual-card serve --state FILE [--port 35963|35964] [--trace FILE] [--remove-at N]
  jpki-bridge virtual-card reset-pins --state FILE
  jpki-bridge virtual-card show --state FILE
`;

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'create':
        return await create(rest);
      case 'serve':
        return await serveCommand(rest);
      case 'reset-pins':
        return await resetPinsCommand(rest);
      case 'show':
        return await show(rest);
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(USAGE);
        return 64;
    }
  } catch (error) {
    log(`jpki-bridge virtual-card ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError || error instanceof RangeError || isParseArgsError(error) ? 64 : 1;
  }
}

class UsageError extends Error {}

function stateOption(values: { state?: string | boolean }): string {
  if (typeof values.state !== 'string' || values.state === '') throw new UsageError('--state FILE is required');
  return values.state;
}

async function create(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      state: { type: 'string' },
      persona: { type: 'string', default: 'adult' },
      name: { type: 'string' },
      birth: { type: 'string' },
      address: { type: 'string' },
      sex: { type: 'string' },
      atr: { type: 'string', default: 'neutral' },
    },
  });
  const file = stateOption(values);
  const persona = values.persona;
  const { PERSONA_KINDS } = await import('../virtual-card/state.ts');
  if (!(PERSONA_KINDS as readonly string[]).includes(persona)) throw new UsageError(`--persona must be ${PERSONA_KINDS.join(', ')}`);
  if (values.sex !== undefined && !['1', '2', '9'].includes(values.sex)) throw new UsageError('--sex must be 1, 2 or 9');
  const { ATR_CHOICES, isAtrChoice } = await import('../virtual-card/atr.ts');
  const atr = values.atr;
  if (!isAtrChoice(atr)) throw new UsageError(`--atr must be ${ATR_CHOICES.join(', ')}`);
  const [{ createCardState }, { saveCardState }] = await Promise.all([import('../virtual-card/issue.ts'), import('../virtual-card/state-file.ts')]);
  const state = await createCardState({
    persona: persona as PersonaKind,
    name: values.name,
    birth: values.birth,
    address: values.address,
    sex: values.sex as JpkiSex | undefined,
    atr,
  });
  await saveCardState(file, state);
  log(`virtual-card: created ${/^[aeiou]/.test(persona) ? 'an' : 'a'} ${persona} card in ${file} (${atr} ATR; PINs: the documented test defaults)`);
  return 0;
}

async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      state: { type: 'string' },
      port: { type: 'string', default: '35963' },
      trace: { type: 'string' },
      'remove-at': { type: 'string' },
    },
  });
  const stateFile = stateOption(values);
  const port = Number(values.port);
  if (port !== 35963 && port !== 35964) throw new UsageError('--port must be 35963 or 35964');
  let removeAt: number | undefined;
  if (values['remove-at'] !== undefined) {
    removeAt = Number(values['remove-at']);
    if (!Number.isInteger(removeAt) || removeAt < 1) throw new UsageError('--remove-at must be a positive integer');
  }
  const { serve } = await import('../virtual-card/serve.ts');
  await serve({ stateFile, port, traceFile: values.trace, removeAt, log });
  return 0;
}

async function resetPinsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { state: { type: 'string' } } });
  const file = stateOption(values);
  const { loadCardState, saveCardState } = await import('../virtual-card/state-file.ts');
  const { resetPins } = await import('../virtual-card/reset.ts');
  const state = await loadCardState(file);
  resetPins(state);
  await saveCardState(file, state);
  log('virtual-card: every PIN (authentication, signing, text) reset to its default, counters full, locks cleared');
  return 0;
}

async function show(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { state: { type: 'string' } } });
  const { loadCardState } = await import('../virtual-card/state-file.ts');
  const { describe } = await import('../virtual-card/show.ts');
  process.stdout.write(describe(await loadCardState(stateOption(values))));
  return 0;
}

function isParseArgsError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}
