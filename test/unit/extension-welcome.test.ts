/** The first-run page's install steps: the right commands for this system and browser. */
import { describe, expect, it } from 'vitest';
import { detectBrowser, installSteps } from '../../extension/src/welcome/install-steps.ts';
import ja from '../../extension/public/_locales/ja/messages.json';
import en from '../../extension/public/_locales/en/messages.json';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const CHROMIUM = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const EDGE = `${CHROMIUM} Edg/142.0.0.0`;

describe('first-run install steps', () => {
  it('names the browser as `jpki-bridge install --browser` does', () => {
    expect(detectBrowser(FIREFOX, [], false)).toBe('firefox');
    expect(detectBrowser(EDGE, ['Microsoft Edge', 'Chromium'], false)).toBe('edge');
    expect(detectBrowser(CHROMIUM, ['Chromium'], true)).toBe('brave');
    expect(detectBrowser(CHROMIUM, ['Google Chrome', 'Chromium'], false)).toBe('chrome');
    expect(detectBrowser(CHROMIUM, ['Chromium', 'Not_A Brand'], false)).toBe('chromium');
  });

  it('Linux: the .deb first, the per-user install for this browser, pcscd, doctor, the sandbox note', () => {
    const steps = installSteps('linux', 'firefox');
    expect(steps.map((s) => s.command).filter(Boolean)).toEqual([
      'sudo apt install ./jpki-bridge_<version>-1_amd64.deb',
      'npm install -g jpki-bridge',
      'jpki-bridge install --browser firefox',
      'sudo apt install pcscd',
      'jpki-bridge doctor --browser firefox',
    ]);
    expect(steps.at(-1)?.text).toBe('welcomeStepSandbox');
  });

  it('macOS and Windows: Node, then the per-user install for this browser; no apt', () => {
    for (const os of ['mac', 'win'] as const) {
      const commands = installSteps(os, 'chrome').map((s) => s.command ?? '');
      expect(commands).toContain('jpki-bridge install --browser chrome');
      expect(commands.some((c) => c.includes('apt'))).toBe(false);
    }
  });

  it('every step has its text in both languages', () => {
    for (const os of ['linux', 'mac', 'win', 'other'] as const) {
      for (const step of installSteps(os, 'chromium')) {
        expect((ja as Record<string, unknown>)[step.text], step.text).toBeTruthy();
        expect((en as Record<string, unknown>)[step.text], step.text).toBeTruthy();
      }
    }
  });
});
