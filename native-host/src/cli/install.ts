/**
 * `jpki-bridge install|uninstall [--browser chrome|chromium|edge|brave|firefox|all] [--user|--system]
 *  [--flatpak [APP-ID]] [--card pcsc|pcsc:READER|virtual:FILE] [--log FILE] [--dry-run] [--user-data-dir DIR]`
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCardSpec } from '../card/create-backend.ts';
import { apply } from '../install/apply.ts';
import { FLATPAK_BROWSERS, flatpakOverrideCommand } from '../install/flatpak.ts';
import { flatpakApps, planFlatpak } from '../install/flatpak-plan.ts';
import { hostProgram } from '../install/cli-path.ts';
import { type Browser, BROWSERS, type Os } from '../install/paths.ts';
import { describeAction, plan } from '../install/plan.ts';
import { notRootOwnedProblem } from '../install/root-owned.ts';
import { currentConfigDir } from '../portal/config-dir.ts';
import { INSTALLATION_UUID_FILE, installationUuid } from '../portal/installation-uuid.ts';

export async function main(args: string[], mode?: 'uninstall'): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(args);
  } catch (error) {
    process.stderr.write(`jpki-bridge ${mode ?? 'install'}: ${(error as Error).message}\n`);
    return 64;
  }
  const os = process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : ('linux' as Os);
  let program: string[];
  try {
    program = hostProgram();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 70;
  }
  if (parsed.scope === 'system' && mode !== 'uninstall' && os !== 'win32') {
    const problems = program.map((path) => notRootOwnedProblem(path)).filter((problem) => problem !== null);
    if (problems.length > 0) {
      process.stderr.write(
        `jpki-bridge install --system: 全ユーザー用の起動スクリプトは root だけが変更できるファイルしか実行できません / an all-users launcher may only run files that root alone can change:\n${problems.map((p) => `  ${p}\n`).join('')}` +
          'root の所有するディレクトリ (例: /usr/local/lib) に jpki-bridge と Node.js をインストールしてから実行してください / install jpki-bridge and Node.js under root-owned directories (e.g. /usr/local/lib, or the Debian package) and run it from there.\n',
      );
      return 77;
    }
  }
  const flatpak = parsed.flatpak === undefined ? null : flatpakApps(homedir(), parsed.flatpak || undefined);
  if (flatpak?.length === 0) {
    process.stderr.write(
      'Flatpak のブラウザが見つかりません (一度起動してから実行するか、アプリIDを指定してください) / no Flatpak browser found in ~/.var/app: start it once, or name its app id\n',
    );
    return 1;
  }
  const actions = flatpak
    ? planFlatpak({ mode: mode ?? 'install', home: homedir(), apps: flatpak, card: parsed.card, program })
    : plan({
        mode: mode ?? 'install',
        os,
        env: { home: homedir(), localAppData: process.env.LOCALAPPDATA, appData: process.env.APPDATA, programData: process.env.ProgramData },
        browser: parsed.browser,
        scope: parsed.scope,
        userDataDir: parsed.userDataDir,
        card: parsed.card,
        log: parsed.log,
        program,
      });
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const keepsUuid = mode !== 'uninstall' && parsed.scope === 'user';
  // The one thing only the user may do: let the app start programs outside its sandbox.
  const overrides = () => {
    if (!flatpak || mode === 'uninstall') return;
    print(
      '次のコマンドを一度だけ実行してください (サンドボックスの外のホストを起動する許可) / run this once (lets the app start the host outside its sandbox):',
    );
    for (const app of flatpak) print(`  ${flatpakOverrideCommand(app.id)}`);
  };
  const cli = program.at(-1)!;
  if (/[\\/]_npx[\\/]/.test(cli) && mode !== 'uninstall') {
    // The launcher names this bundle by its absolute path; an npx cache can be cleaned at any time.
    print(
      `注意: ${cli} は npx のキャッシュです。恒久的な場所にインストールしてから実行してください / warning: ${cli} is in the npx cache, which may be cleaned: install jpki-bridge permanently (npm install -g, or a checkout) and run install from there.`,
    );
  }
  const verb = mode === 'uninstall' ? 'アンインストール / uninstall' : 'インストール / install';
  if (parsed.dryRun) {
    print(`${verb} (--dry-run: 何も変更しません / nothing is changed):`);
    for (const action of actions) print(`  ${describeAction(action)}`);
    if (keepsUuid) print(`  インストールID / installation uuid  ${join(currentConfigDir(), INSTALLATION_UUID_FILE)} (なければ作成 / created if missing)`);
    overrides();
    return 0;
  }
  print(`${verb}:`);
  const ok = apply(actions, print);
  // The portal protocol's per-installation uuid, made now rather than at the first portal call.
  // Per user: a --system install runs as root, whose config directory no browser's host uses.
  // Kept by uninstall: a new uuid would make every portal see a new installation.
  if (ok && keepsUuid) {
    const where = join(currentConfigDir(), INSTALLATION_UUID_FILE);
    try {
      await installationUuid();
      print(`  インストールID / installation uuid  ${where}`);
    } catch (error) {
      print(`インストールIDを用意できません / cannot keep the installation uuid in ${where}: ${(error as Error).message}`);
      return 1;
    }
  }
  if (ok) overrides();
  if (ok && mode !== 'uninstall') print('次に jpki-bridge doctor で確認してください / Next, check with: jpki-bridge doctor');
  return ok ? 0 : 1;
}

function parseArgs(args: string[]) {
  const out = {
    flatpak: undefined as string | undefined,
    browser: 'all' as Browser | 'all',
    scope: 'user' as 'user' | 'system',
    card: 'pcsc',
    dryRun: false,
    userDataDir: undefined as string | undefined,
    log: undefined as string | undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--browser') {
      const b = value();
      if (b !== 'all' && !(BROWSERS as readonly string[]).includes(b)) throw new Error(`unknown browser "${b}" (${BROWSERS.join('|')}|all)`);
      out.browser = b as Browser | 'all';
    } else if (arg === '--flatpak') {
      // An optional app id: the next word, unless it is another option.
      out.flatpak = args[i + 1] !== undefined && !args[i + 1]!.startsWith('-') ? args[++i]! : '';
      if (out.flatpak && !FLATPAK_BROWSERS.some((b) => b.id === out.flatpak)) {
        throw new Error(`unknown Flatpak browser "${out.flatpak}" (${FLATPAK_BROWSERS.map((b) => b.id).join(', ')})`);
      }
    } else if (arg === '--user') out.scope = 'user';
    else if (arg === '--system') out.scope = 'system';
    else if (arg === '--dry-run') out.dryRun = true;
    else if (arg === '--card') {
      const spec = parseCardSpec(value());
      // `pcsc:READER` is kept whole: the testing kit and the demo name the one reader the host may use.
      out.card = spec.kind === 'pcsc' ? (spec.reader === undefined ? 'pcsc' : `pcsc:${spec.reader}`) : `virtual:${resolve(spec.file)}`;
    } else if (arg === '--user-data-dir') out.userDataDir = resolve(value());
    else if (arg === '--log') out.log = resolve(value());
    else throw new Error(`unknown option ${arg}`);
  }
  return out;
}
