/**
 * What `jpki-bridge …` was asked to do, from argv alone (pure, unit-tested). Host mode only when
 * started as a browser starts a native-messaging host — Chromium-family browsers pass the caller's
 * origin `chrome-extension://<id>/` (and on Windows `--parent-window=N`), Firefox the manifest's
 * path and the add-on id (MDN, "Native messaging": "the app is passed two arguments") — or with
 * `host` named. Anything else is a person at a terminal: an unknown word gets the usage, never a
 * native-messaging frame on their terminal.
 */
export const SUBCOMMAND_NAMES = ['host', 'install', 'uninstall', 'doctor', 'run', 'sign', 'verify', 'virtual-card'] as const;
export type SubcommandName = (typeof SUBCOMMAND_NAMES)[number];

/** One usage line per subcommand: `jpki-bridge SUB --help` prints its own, the bare command all. */
const USAGES: Record<SubcommandName, string> = {
  host: 'jpki-bridge host [--card pcsc|pcsc:READER|virtual:FILE] [--log FILE]   (what the browser starts / ブラウザが起動します)',
  install:
    'jpki-bridge install [--browser chrome|chromium|edge|brave|firefox|all] [--user|--system] [--flatpak [APP-ID]] [--card pcsc|pcsc:READER|virtual:FILE] [--log FILE] [--dry-run] [--user-data-dir DIR]',
  uninstall: 'jpki-bridge uninstall [--browser …] [--user|--system] [--flatpak [APP-ID]] [--dry-run] [--user-data-dir DIR]',
  doctor: 'jpki-bridge doctor [--user-data-dir DIR] [--browser chrome|chromium|edge|brave|firefox|all]',
  run: "jpki-bridge run <command> '<json arguments>' [--card pcsc|pcsc:READER|virtual:FILE]   (the PIN is asked, never an argument / 暗証番号は入力を求めます)",
  sign: 'jpki-bridge sign FILE [--out OUT] [--card pcsc|pcsc:READER|virtual:FILE] [--reason TEXT] [--confirm-last-try]   (PDF → FILE-signed.pdf, else FILE.p7s; the signing password is asked, never an argument / 署名用パスワードは入力を求めます)',
  verify: 'jpki-bridge verify FILE [SIGNATURE] [--trust CA.pem]',
  'virtual-card': 'jpki-bridge virtual-card create|serve|reset-pins|show --state FILE …',
};

export type Route =
  | { kind: 'version' }
  | { kind: 'help'; subcommand?: SubcommandName }
  | { kind: 'usage-error'; problem: string }
  | { kind: 'browser-host'; args: string[] }
  | { kind: 'subcommand'; name: SubcommandName; args: string[] };

const isSubcommand = (word: string): word is SubcommandName => (SUBCOMMAND_NAMES as readonly string[]).includes(word);
const HELP = new Set(['--help', '-h', 'help']);

export function route(argv: readonly string[]): Route {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: 'usage-error', problem: 'no subcommand / サブコマンドがありません' };
  if (first === '--version' || first === '-v' || first === 'version') return { kind: 'version' };
  if (HELP.has(first)) {
    const topic = rest[0];
    return topic !== undefined && isSubcommand(topic) ? { kind: 'help', subcommand: topic } : { kind: 'help' };
  }
  if (startedByBrowser(argv)) return { kind: 'browser-host', args: [...argv] };
  if (!isSubcommand(first)) return { kind: 'usage-error', problem: `unknown subcommand "${first}" / 不明なサブコマンドです` };
  // `jpki-bridge doctor --help`: that subcommand's usage, whatever else the line says.
  if (rest.some((arg) => arg === '--help' || arg === '-h')) return { kind: 'help', subcommand: first };
  return { kind: 'subcommand', name: first, args: rest };
}

/** Chromium: `chrome-extension://<id>/` first. Firefox: an absolute path to a .json manifest, then the add-on id. */
function startedByBrowser(argv: readonly string[]): boolean {
  const [first, second] = argv;
  if (first === undefined) return false;
  if (/^chrome-extension:\/\/[a-p]{32}\/$/.test(first)) return true;
  const absolute = first.startsWith('/') || /^[A-Za-z]:[\\/]/.test(first);
  return absolute && first.toLowerCase().endsWith('.json') && second !== undefined && second.length > 0 && !second.startsWith('-');
}

/** `usage: jpki-bridge SUB …`: what `SUB --help` prints, and what SUB prints after a usage error. */
export function subcommandUsage(subcommand: SubcommandName): string {
  return `usage: ${USAGES[subcommand]}\n`;
}

export function usageText(version: string, subcommand?: SubcommandName): string {
  if (subcommand) return subcommandUsage(subcommand);
  return [
    `jpki-bridge ${version} — マイナンバーカードをウェブで / My Number card (JPKI) for the web`,
    '',
    'usage / 使い方:',
    ...SUBCOMMAND_NAMES.map((name) => `  ${USAGES[name]}`),
    '  jpki-bridge --version',
    '  jpki-bridge SUBCOMMAND --help',
    '',
    '確認は jpki-bridge doctor で / to check the installation: jpki-bridge doctor',
    '',
  ].join('\n');
}
