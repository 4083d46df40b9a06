/**
 * The first-run page (opened once, on install: background/first-run.ts). It says that the extension
 * is unofficial, checks the native host with a `status` round trip, and when the host is missing
 * says how to install it for this system and browser (install-steps.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { HostStatus } from '../messages.ts';
import { browser } from '../lib/browser.ts';
import { askBackground } from '../lib/ui-client.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { GUIDE_URL, PRIVACY_POLICY_URL } from '../ui/links.ts';
import { Unofficial } from '../ui/Unofficial.tsx';
import { type HostOs, detectBrowser, installSteps } from './install-steps.ts';

type Check = { state: 'checking' } | { state: 'ok'; status: HostStatus } | { state: 'failed'; error: JpkiError };

export function Welcome() {
  const i18n = useI18n();
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  const [os, setOs] = useState<HostOs>('other');
  const run = () => {
    setCheck({ state: 'checking' });
    askBackground<HostStatus>({ channel: 'ui', command: 'host-status' }).then(
      (status) => setCheck({ state: 'ok', status }),
      (error: unknown) => setCheck({ state: 'failed', error: error instanceof JpkiError ? error : new JpkiError('ERR_JPKI_UNKNOWN') }),
    );
  };
  useEffect(() => {
    run();
    void browser.runtime.getPlatformInfo().then((info) => setOs(info.os === 'linux' || info.os === 'mac' || info.os === 'win' ? info.os : 'other'));
  }, []);
  const brands = (navigator as Navigator & { userAgentData?: { brands: { brand: string }[] } }).userAgentData?.brands.map((b) => b.brand) ?? [];
  const hostBrowser = detectBrowser(navigator.userAgent, brands, 'brave' in navigator);

  return (
    <main class="welcome">
      <h1>
        <Text k="welcomeTitle" />
      </h1>
      <Unofficial />
      <p>
        <Text k="welcomeIntro" block />
      </p>
      <h2>
        <Text k="welcomeHostTitle" />
      </h2>
      <div aria-live="polite" data-testid="host-check" data-state={check.state}>
        {check.state === 'checking' && <Text k="welcomeChecking" />}
        {check.state === 'ok' && (
          <div class="ok">
            <Text k="welcomeHostFound" subs={{ version: check.status.hostVersion, readers: check.status.readers.length }} block />
          </div>
        )}
        {check.state === 'failed' && (
          <div class="danger" data-testid="host-missing" data-code={check.error.code}>
            <Text k={check.error.code === 'ERR_JPKI_NATIVE_UNAVAILABLE' ? 'welcomeHostMissing' : `error_${check.error.code}`} block />
          </div>
        )}
      </div>
      {check.state === 'failed' && check.error.code === 'ERR_JPKI_NATIVE_UNAVAILABLE' && (
        <ol class="steps" data-testid="install-steps" data-os={os} data-browser={hostBrowser}>
          {installSteps(os, hostBrowser).map((step) => (
            <li key={step.text}>
              <Text k={step.text} block />
              {step.command && <code class="command">{step.command}</code>}
            </li>
          ))}
        </ol>
      )}
      <div class="buttons" style="justify-content:flex-start">
        <button type="button" id="check-again" class="primary" onClick={run}>
          <Text k="welcomeCheckAgain" />
        </button>
      </div>
      <p class="small links">
        <a href={GUIDE_URL} target="_blank" rel="noreferrer">
          {i18n.t('popupGuide')}
        </a>
        {' · '}
        <a href={PRIVACY_POLICY_URL} target="_blank" rel="noreferrer" data-testid="privacy-link">
          {i18n.t('privacyPolicy')}
        </a>
        {' · '}
        <a href={browser.runtime.getURL('/options.html')}>{i18n.t('popupOptions')}</a>
      </p>
    </main>
  );
}
