/**
 * install/uninstall as a list of actions, computed first and then either printed (--dry-run) or
 * carried out — so a dry run shows exactly what a real run does.
 */
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { launcherScript, manifestFor } from './manifest.ts';
import { type Browser, BROWSERS, installTarget, type InstallTarget, type Os, type PathEnv, type Scope, userDataDirTarget } from './paths.ts';

export type Action =
  | { kind: 'skip'; browser: Browser; reason: string }
  | { kind: 'mkdir'; path: string }
  | { kind: 'write'; path: string; content: string; mode: number; what: 'launcher' | 'manifest' }
  | { kind: 'reg-add'; key: string; value: string }
  | { kind: 'remove'; path: string }
  | { kind: 'reg-delete'; key: string };

export interface PlanOptions {
  mode: 'install' | 'uninstall';
  os: Os;
  env: PathEnv;
  browser: Browser | 'all';
  scope: Scope;
  userDataDir?: string;
  /** `pcsc` or `virtual:/absolute/file`. */
  card: string;
  /** The host's `--log FILE`, written into the launcher (for debugging a browser's host). */
  log?: string;
  /** The host program and its leading arguments: [node, bundle], or [the single executable]. */
  program: readonly string[];
  /** Injected for tests; defaults to existsSync. */
  exists?: (path: string) => boolean;
}

export function plan(options: PlanOptions): Action[] {
  const exists = options.exists ?? existsSync;
  const p = options.os === 'win32' ? win32 : posix;
  const browsers: readonly Browser[] = options.browser === 'all' ? (options.userDataDir ? ['chromium'] : BROWSERS) : [options.browser];
  const targets: InstallTarget[] = [];
  const actions: Action[] = [];
  for (const browser of browsers) {
    if (options.userDataDir) {
      targets.push(userDataDirTarget(options.os, browser, options.userDataDir));
      continue;
    }
    const target = installTarget(options.os, browser, options.scope, options.env);
    // Absent browsers are skipped when installing for "all"; a browser named explicitly is
    // installed anyway (it may be installed later) — see docs/DECISIONS.md.
    if (options.mode === 'install' && options.browser === 'all' && !target.detect.some(exists)) {
      actions.push({ kind: 'skip', browser, reason: `not found (${target.detect.join(', ')})` });
      continue;
    }
    targets.push(target);
  }
  const launchers = [...new Set(targets.map((t) => t.launcherPath))];
  if (options.mode === 'install') {
    const dirs = new Set<string>();
    for (const launcher of launchers) dirs.add(p.dirname(launcher));
    for (const t of targets) dirs.add(p.dirname(t.manifestPath));
    for (const dir of dirs) actions.push({ kind: 'mkdir', path: dir });
    for (const launcher of launchers) {
      actions.push({
        kind: 'write',
        what: 'launcher',
        path: launcher,
        content: launcherScript(options.os, options.program, options.card, options.log),
        mode: 0o755,
      });
    }
    const written = new Set<string>();
    for (const t of targets) {
      if (!written.has(t.manifestPath)) {
        written.add(t.manifestPath);
        actions.push({
          kind: 'write',
          what: 'manifest',
          path: t.manifestPath,
          content: `${JSON.stringify(manifestFor(t.browser, t.launcherPath), null, 2)}\n`,
          mode: 0o644,
        });
      }
      if (t.registryKey) actions.push({ kind: 'reg-add', key: t.registryKey, value: t.manifestPath });
    }
  } else {
    const removed = new Set<string>();
    for (const t of targets) {
      if (t.registryKey) actions.push({ kind: 'reg-delete', key: t.registryKey });
      if (!removed.has(t.manifestPath)) actions.push({ kind: 'remove', path: t.manifestPath });
      removed.add(t.manifestPath);
    }
    for (const launcher of launchers) actions.push({ kind: 'remove', path: launcher });
  }
  return actions;
}

export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'skip':
      return `スキップ / skip      ${action.browser}: ブラウザが見つかりません / ${action.reason}`;
    case 'mkdir':
      return `フォルダ作成 / mkdir  ${action.path}`;
    case 'write':
      return `${action.what === 'launcher' ? '起動スクリプト / launcher' : 'マニフェスト / manifest'}  ${action.path}`;
    case 'reg-add':
      return `レジストリ登録 / reg add     ${action.key} = ${action.value}`;
    case 'remove':
      return `削除 / remove        ${action.path}`;
    case 'reg-delete':
      return `レジストリ削除 / reg delete  ${action.key}`;
    default: {
      const unreachable: never = action;
      return String(unreachable);
    }
  }
}
