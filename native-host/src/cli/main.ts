/**
 * `jpki-bridge <subcommand> …` — wiring only. Each subcommand lives in its own module, loaded
 * on demand so that `host` (started by the browser) loads nothing it does not need.
 */
import { VERSION } from '@jpki-bridge/shared/version';

type Main = (args: string[]) => Promise<number>;

const SUBCOMMANDS: Record<string, () => Promise<{ main: Main }>> = {
  host: () => import('./host.ts'),
  'virtual-card': () => import('./virtual-card.ts'),
  install: () => import('./install.ts'),
  uninstall: () => import('./install.ts').then((m) => ({ main: (args: string[]) => m.main(args, 'uninstall') })),
  doctor: () => import('./doctor.ts'),
  run: () => import('./run.ts'),
  sign: () => import('./sign.ts'),
  verify: () => import('./verify.ts'),
};

const USAGE = `jpki-bridge ${VERSION} — My Number card (JPKI) for the web / マイナンバーカードをウェブで

usage:
  jpki-bridge host [--card pcsc|virtual:FILE] [--log FILE]
  jpki-bridge install|uninstall [--browser chrome|chromium|edge|brave|firefox|all] [--user|--system] [--card …] [--dry-run] [--user-data-dir DIR]
  jpki-bridge doctor [--user-data-dir DIR] [--browser …]
  jpki-bridge run <command> '<json arguments>' [--card pcsc|virtual:FILE]   (the PIN is asked, never an argument)
  jpki-bridge sign FILE [--out OUT] [--card pcsc|virtual:FILE] [--reason TEXT]   (PDF → FILE-signed.pdf, else FILE.p7s; the password is asked)
  jpki-bridge verify FILE [SIGNATURE] [--trust CA.pem]
  jpki-bridge virtual-card create|serve|reset-pins|show --state FILE …
  jpki-bridge --version
`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  // Chrome starts the host as `<path> chrome-extension://<id>/`; Firefox as `<path> <manifest> <extension id>`.
  // Neither names a subcommand, so anything that is not one means "be the host".
  const load = first !== undefined ? SUBCOMMANDS[first] : undefined;
  if (first === undefined || first === '--help' || first === '-h') {
    process.stdout.write(USAGE);
    return first === undefined ? 64 : 0;
  }
  if (!load) return (await SUBCOMMANDS.host!()).main(argv);
  return (await load()).main(rest);
}

// No top-level await: the packaged single executable runs this module as CommonJS (docs/packaging.md).
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
