/**
 * How to install the native host on this system for this browser (pure, unit-tested): the first-run
 * page shows these when the status round trip finds no host. The commands are those of
 * docs/install.md and docs/packaging.md; `--browser` takes the names `jpki-bridge install` knows.
 */
export type HostBrowser = 'chrome' | 'chromium' | 'edge' | 'brave' | 'firefox';
export type HostOs = 'linux' | 'mac' | 'win' | 'other';

export interface InstallStep {
  /** i18n key of what the step does. */
  text: string;
  /** The command to type, when the step is one. */
  command?: string;
}

/** The browser this page runs in, as `jpki-bridge install --browser` names it. */
export function detectBrowser(userAgent: string, brands: readonly string[], isBrave: boolean): HostBrowser {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Edg\//.test(userAgent)) return 'edge';
  if (isBrave) return 'brave';
  return brands.includes('Google Chrome') ? 'chrome' : 'chromium';
}

export function installSteps(os: HostOs, browser: HostBrowser): InstallStep[] {
  const perUser = [
    { text: 'welcomeStepNpm', command: 'npm install -g jpki-bridge' },
    { text: 'welcomeStepInstall', command: `jpki-bridge install --browser ${browser}` },
  ];
  const check = { text: 'welcomeStepDoctor', command: `jpki-bridge doctor --browser ${browser}` };
  if (os === 'linux') {
    return [
      { text: 'welcomeStepDeb', command: 'sudo apt install ./jpki-bridge_<version>-1_amd64.deb' },
      { text: 'welcomeStepOrPerUser' },
      ...perUser,
      { text: 'welcomeStepPcscd', command: 'sudo apt install pcscd' },
      check,
      { text: 'welcomeStepSandbox' },
    ];
  }
  return [{ text: os === 'other' ? 'welcomeStepOtherOs' : 'welcomeStepNode' }, ...perUser, check];
}
