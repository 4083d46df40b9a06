/**
 * `jpki-bridge <subcommand> …` — wiring only (route.ts decides from argv). Each subcommand lives
 * in its own module, loaded on demand so that `host` (started by the browser) loads nothing it
 * does not need.
 */
import { VERSION } from '@jpki-bridge/shared/version';
import { route, type SubcommandName, usageText } from './route.ts';

type Main = (args: string[]) => Promise<number>;

const SUBCOMMANDS: Record<SubcommandName, () => Promise<{ main: Main }>> = {
  host: () => import('./host.ts'),
  'virtual-card': () => import('./virtual-card.ts'),
  install: () => import('./install.ts'),
  uninstall: () => import('./install.ts').then((m) => ({ main: (args: string[]) => m.main(args, 'uninstall') })),
  doctor: () => import('./doctor.ts'),
  run: () => import('./run.ts'),
  sign: () => import('./sign.ts'),
  verify: () => import('./verify.ts'),
};

/** The exit status of a command line that names no known subcommand (as getopt-style tools do). */
const USAGE_EXIT = 2;

async function main(argv: string[]): Promise<number> {
  const what = route(argv);
  switch (what.kind) {
    case 'version':
      // The runtime too: the Debian package embeds its own Node (docs/packaging.md).
      process.stdout.write(`jpki-bridge ${VERSION} (${runtimeName()})\n`);
      return 0;
    case 'help':
      process.stdout.write(usageText(VERSION, what.subcommand));
      return 0;
    case 'usage-error':
      process.stderr.write(`jpki-bridge: ${what.problem}\n\n${usageText(VERSION)}`);
      return USAGE_EXIT;
    case 'browser-host':
      return (await SUBCOMMANDS.host()).main(what.args);
    case 'subcommand':
      return (await SUBCOMMANDS[what.name]()).main(what.args);
  }
}

/** `node v24.22.3 LTS Krypton`: which Node runs us, and whether it is a long-term-support line. */
function runtimeName(): string {
  const lts = process.release.lts;
  return `node ${process.version}${lts ? ` LTS ${lts}` : ''}`;
}

// No top-level await: the packaged single executable runs this module as CommonJS (docs/packaging.md).
// A rejection is a bug: Node's unhandled-rejection handler prints it and exits with 1.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
