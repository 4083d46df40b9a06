/**
 * `install --flatpak [APP-ID]` / `uninstall --flatpak [APP-ID]`: for each Flatpak browser (the one
 * named, or every one whose ~/.var/app/<id>/ folder exists, i.e. that has been started once), the
 * wrapper and the manifest inside the app's folder (flatpak.ts), as the same actions as plan.ts.
 */
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { FLATPAK_BROWSERS, type FlatpakBrowser, flatpakAppDir, flatpakManifestPath, flatpakWrapperPath, flatpakWrapperScript } from './flatpak.ts';
import { manifestFor } from './manifest.ts';
import type { Action } from './plan.ts';

export interface FlatpakPlanOptions {
  mode: 'install' | 'uninstall';
  home: string;
  /** The apps to serve (flatpakApps). */
  apps: readonly FlatpakBrowser[];
  card: string;
  program: readonly string[];
}

/** The app named (an id), or every Flatpak browser whose folder is in `home` when none is. */
export function flatpakApps(home: string, app: string | undefined): FlatpakBrowser[] {
  if (app !== undefined) return FLATPAK_BROWSERS.filter((b) => b.id === app);
  return FLATPAK_BROWSERS.filter((b) => existsSync(flatpakAppDir(home, b.id)));
}

export function planFlatpak(options: FlatpakPlanOptions): Action[] {
  const actions: Action[] = [];
  for (const app of options.apps) {
    const wrapper = flatpakWrapperPath(options.home, app.id);
    const manifest = flatpakManifestPath(options.home, app);
    if (options.mode === 'uninstall') {
      actions.push({ kind: 'remove', path: manifest }, { kind: 'remove', path: wrapper });
      continue;
    }
    actions.push(
      { kind: 'mkdir', path: posix.dirname(wrapper) },
      { kind: 'mkdir', path: posix.dirname(manifest) },
      { kind: 'write', what: 'launcher', path: wrapper, content: flatpakWrapperScript(options.program, options.card), mode: 0o755 },
      { kind: 'write', what: 'manifest', path: manifest, content: `${JSON.stringify(manifestFor(app.family, wrapper), null, 2)}\n`, mode: 0o644 },
    );
  }
  return actions;
}
