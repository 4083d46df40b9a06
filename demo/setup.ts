/**
 * What `npm run demo` keeps between runs, in `.demo/` (git-ignored): its virtual card and its
 * Chromium profile, so that a PIN changed or a site added by hand is still there next time.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../tools/dev/checkout.ts';
import { jpkiBridge } from '../tools/dev/host-cli.ts';

export const DEMO_DIR = join(ROOT, '.demo');
export const PROFILE_DIR = join(DEMO_DIR, 'chromium-profile');
export const CARD_FILE = join(DEMO_DIR, 'card.json');
export const HOST_LOG = join(DEMO_DIR, 'host.log');

/** `.demo/card.json`, created with the CLI on first use (adult persona, the documented PINs). */
export async function ensureCard(options: { resetPins: boolean }, log: (line: string) => void): Promise<string> {
  mkdirSync(DEMO_DIR, { recursive: true });
  if (!existsSync(CARD_FILE)) {
    log('creating a virtual card in .demo/card.json …');
    await jpkiBridge(['virtual-card', 'create', '--state', CARD_FILE, '--persona', 'adult']);
  } else if (options.resetPins) {
    // The automated walk types the documented PINs; a counter left low by a manual try must not lock it.
    await jpkiBridge(['virtual-card', 'reset-pins', '--state', CARD_FILE]);
  }
  return CARD_FILE;
}
