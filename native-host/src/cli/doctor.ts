/**
 * `jpki-bridge doctor [--user-data-dir DIR] [--browser …]`: every check, each printed as OK / NG /
 * 注意 (日本語 / English), every NG with its fix; never stops at the first NG; exit code 1 when
 * any check is NG. Checks: the browsers installed (deb, Snap, Flatpak, per user) and whether each
 * can start the host; for each installed manifest: manifest → launcher → the host started as the
 * browser starts it (hello) → a real `status` round trip → pcscd → readers → the card; then the
 * USB card readers plugged in and whether pcscd can drive them.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { CHROMIUM_EXTENSION_ID, GECKO_EXTENSION_ID } from '@jpki-bridge/shared/extension-ids';
import { NATIVE_HOST_NAME, PROTOCOL_VERSION } from '@jpki-bridge/shared/constants';
import { ERROR_MESSAGES, isErrorCode } from '@jpki-bridge/shared/errors';
import { VERSION } from '@jpki-bridge/shared/version';
import { canStartHost, findBrowsers, installFix } from '../doctor/browsers.ts';
import { findManifests } from '../doctor/find-manifest.ts';
import { currentMachine } from '../doctor/machine.ts';
import { type ProbeResult, probeHost } from '../doctor/probe-host.ts';
import { CCID_INFO_PLIST, ccidSupported, NOT_CCID, SYSFS_USB, usbReaders } from '../doctor/usb-readers.ts';
import { CHROMIUM_ORIGIN } from '../install/manifest.ts';
import { type Browser, BROWSERS, type Os } from '../install/paths.ts';
import { subcommandUsage } from './route.ts';

/** Where pcscd listens by default (pcsclite's PCSCLITE_CSOCK_NAME overrides it). */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

export async function main(args: string[]): Promise<number> {
  let userDataDir: string | undefined;
  let browser: Browser | 'all' = 'all';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--user-data-dir') userDataDir = args[++i];
    else if (args[i] === '--browser') {
      const b = args[++i];
      if (b !== 'all' && !(BROWSERS as readonly string[]).includes(b ?? '')) return usage(`unknown browser "${b}"`);
      browser = b as Browser | 'all';
    } else return usage(`unknown option ${args[i]}`);
  }
  const os: Os = process.platform === 'win32' ? 'win32' : process.platform === 'darwin' ? 'darwin' : 'linux';
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let failures = 0;
  const ok = (ja: string, en: string, detail = '') => out(`[OK] ${ja} / ${en}${detail ? `: ${detail}` : ''}`);
  const note = (ja: string, en: string, detail: string) => out(`[注意] ${ja} / ${en}: ${detail}`);
  const ng = (ja: string, en: string, detail: string, hint: { ja: string; en: string }) => {
    failures++;
    out(`[NG] ${ja} / ${en}: ${detail}`);
    out(`     ヒント: ${hint.ja}`);
    out(`     hint:   ${hint.en}`);
  };
  const machine = currentMachine();
  const again = installFix(machine, browser === 'all' ? undefined : browser);

  out(`jpki-bridge doctor ${VERSION} (node ${process.version})`);
  if (os === 'linux' && !userDataDir) {
    out('-- ブラウザ / browsers');
    const browsers = findBrowsers(machine).filter((b) => browser === 'all' || b.family === browser);
    if (browsers.length === 0) note('ブラウザ', 'browsers', 'none found / 見つかりません');
    for (const found of browsers) {
      const verdict = canStartHost(machine, found);
      const label = `${found.name} (${found.packaging})`;
      if (verdict.level === 'OK') ok(label, 'can start the host / ホストを起動できます', verdict.detail);
      else if (verdict.level === '注意') note(label, 'can start the host, see note / 注意あり', verdict.detail);
      else ng(label, 'cannot start the host / ホストを起動できません', verdict.detail, verdict.fix!);
    }
  }

  // Chrome, Chromium, Edge and Brave's manifests usually name one launcher: the host started the same
  // way answers the same, so each (launcher, arguments) is started once and its answer reported per browser.
  const probes = new Map<string, Promise<ProbeResult>>();
  const probeOnce = (launcher: string, browserArgs: string[]) => {
    const key = JSON.stringify([launcher, ...browserArgs]);
    let probe = probes.get(key);
    if (!probe) {
      probe = probeHost(launcher, browserArgs);
      probes.set(key, probe);
    }
    return probe;
  };
  const { found, searched } = findManifests({ userDataDir, browser, os, systemPath: machine.path });
  if (found.length === 0) ng('マニフェスト', 'manifest', `not found (searched ${searched.join(', ')})`, again);

  for (const manifest of found) {
    out(`-- ${manifest.browser}: ${manifest.path}`);
    // biome-ignore lint/suspicious/noExplicitAny: a manifest file of any shape; every field used is checked below.
    let parsed: Record<string, any>;
    try {
      parsed = JSON.parse(readFileSync(manifest.path, 'utf8'));
    } catch (error) {
      ng('マニフェスト', 'manifest', `unreadable: ${(error as Error).message}`, again);
      continue;
    }
    const firefox = manifest.browser === 'firefox';
    const allowed = firefox ? parsed.allowed_extensions?.includes(GECKO_EXTENSION_ID) : parsed.allowed_origins?.includes(CHROMIUM_ORIGIN);
    if (parsed.name !== NATIVE_HOST_NAME || parsed.type !== 'stdio' || !allowed || typeof parsed.path !== 'string') {
      ng('マニフェスト', 'manifest', `name/type/path/${firefox ? 'allowed_extensions' : 'allowed_origins'} are not as expected`, again);
      continue;
    }
    ok('マニフェスト', 'manifest', `${parsed.name}, ${firefox ? GECKO_EXTENSION_ID : CHROMIUM_EXTENSION_ID}`);

    const launcher: string = parsed.path;
    let launcherOk = existsSync(launcher);
    try {
      if (launcherOk && os !== 'win32') accessSync(launcher, constants.X_OK);
    } catch {
      launcherOk = false;
    }
    if (!launcherOk) {
      ng('起動スクリプト', 'launcher', `${launcher} is missing or not executable`, again);
      continue;
    }
    ok('起動スクリプト', 'launcher', launcher);
    // A launcher script names its card; the Debian package's manifest points at the 80 MB single
    // executable itself, which is never read as text (it always drives the real reader).
    const virtualCard = statSync(launcher).size < 64 * 1024 && /--card\s+['"]?virtual:/.test(readFileSync(launcher, 'utf8'));

    const probe = await probeOnce(launcher, firefox ? [manifest.path, GECKO_EXTENSION_ID] : [CHROMIUM_ORIGIN]);
    const hello = probe.hello;
    if (!hello || hello.type !== 'hello') {
      ng('ホストの起動', 'host start', `${probe.problem ?? 'no hello'}${probe.stderr ? ` — ${probe.stderr.trim().split('\n').pop()}` : ''}`, {
        ja: `Node.js や jpki-bridge の場所が変わった場合: ${again.ja}`,
        en: `If Node.js or jpki-bridge moved: ${again.en}`,
      });
      continue;
    }
    if (hello.protocol !== PROTOCOL_VERSION) {
      ng('ホストの起動', 'host start', `protocol ${String(hello.protocol)}, expected ${PROTOCOL_VERSION}`, {
        ja: '拡張機能とホストを同じバージョンにしてください。',
        en: 'Install matching versions of the extension and the host.',
      });
      continue;
    }
    ok('ホストの起動', 'host start', `hello ${String(hello.version)}, protocol ${String(hello.protocol)}`);

    const status = probe.status;
    if (!status) {
      ng('status 往復', 'status round trip', probe.problem ?? 'no reply', { ja: 'ログ (--log) を確認してください。', en: 'Check the host log (--log).' });
      continue;
    }
    const error = status.error as { code?: string; message?: string } | undefined;
    ok('status 往復', 'status round trip', error ? `answered ${error.code}` : 'answered');

    if (!virtualCard && os === 'linux') {
      // The socket libpcsclite itself would use (the host started by the browser inherits the same environment).
      const socket = process.env.PCSCLITE_CSOCK_NAME || PCSCD_SOCKET;
      if (existsSync(socket) && error?.code !== 'ERR_JPKI_PCSC_UNAVAILABLE') ok('pcscd', 'pcscd', socket);
      else {
        ng('pcscd', 'pcscd', error?.code === 'ERR_JPKI_PCSC_UNAVAILABLE' ? (error.message ?? '') : `${socket} is missing`, {
          ja: 'pcscd を起動してください (例: sudo systemctl enable --now pcscd.socket)。',
          en: 'Start pcscd (e.g. sudo systemctl enable --now pcscd.socket).',
        });
        continue;
      }
    } else if (virtualCard) ok('pcscd', 'pcscd', '仮想カードのため不要 / not needed (virtual card)');

    if (error) {
      const message = isErrorCode(error.code) ? ERROR_MESSAGES[error.code] : ERROR_MESSAGES.ERR_JPKI_UNKNOWN;
      ng('カードリーダー', 'readers', `${error.code}: ${error.message}`, message);
      continue;
    }
    const result = status.result as {
      readers: { name: string; cardPresent: boolean }[];
      card: null | { type: string; hasSigningCertificate: boolean; retries: { auth: number; sign: number } };
    };
    if (result.readers.length === 0) {
      ng('カードリーダー', 'readers', 'none', {
        ja: 'カードリーダーを接続してください。接続済みなら下の USB カードリーダーの結果を見てください。',
        en: 'Connect a card reader. If one is connected, see the USB card readers below.',
      });
      continue;
    }
    ok('カードリーダー', 'readers', result.readers.map((r) => `${r.name}${r.cardPresent ? ' (card)' : ''}`).join(', '));
    const card = result.card;
    if (!card) {
      const present = result.readers.some((r) => r.cardPresent);
      ng('カード', 'card', present ? 'a card is present but it is not (only one) My Number card' : 'no card', {
        ja: present ? 'マイナンバーカードを1枚だけリーダーに置いてください。' : 'マイナンバーカードをリーダーに置いてください。',
        en: present ? 'Leave exactly one My Number card in a reader.' : 'Put your My Number card on the reader.',
      });
      continue;
    }
    const detail = `${card.type}; 署名用 / signing: ${card.hasSigningCertificate ? 'yes' : 'no'}; retries auth ${card.retries.auth}, sign ${card.retries.sign}`;
    if (card.retries.auth === 0 || (card.hasSigningCertificate && card.retries.sign === 0)) {
      ng('カード', 'card', detail, ERROR_MESSAGES.ERR_JPKI_PIN_LOCKED);
    } else ok('カード', 'card', detail);
  }
  if (os === 'linux') {
    out('-- USB カードリーダー / USB card readers');
    const supported = ccidSupported(machine);
    if (supported === null) {
      note(
        'libccid',
        'libccid',
        `${CCID_INFO_PLIST} is missing: USB readers cannot be checked against its list / 対応表を確認できません (sudo apt install libccid)`,
      );
    }
    const readers = usbReaders(machine, supported);
    if (readers.length === 0) note('USB カードリーダー', 'USB card readers', `none seen in ${SYSFS_USB} / 見つかりません`);
    for (const reader of readers) {
      const label = `${reader.name} (${reader.id})`;
      if (reader.verdict === 'driven') ok(label, 'pcscd can drive it / 使えます', reader.why);
      else if (reader.verdict === 'unknown') note(label, 'may not work / 使えない可能性', `${reader.why}; pcsc_scan で確認できます / check with pcsc_scan`);
      else ng(label, 'pcscd cannot drive it / pcscd では使えません', reader.why, NOT_CCID[reader.id]!.advice);
    }
  }
  out(failures === 0 ? '結果: すべて OK / Result: all OK' : `結果: NG ${failures} 件 / Result: ${failures} NG`);
  return failures === 0 ? 0 : 1;
}

function usage(message: string): number {
  process.stderr.write(`jpki-bridge doctor: ${message}\n${subcommandUsage('doctor')}`);
  return 64;
}
