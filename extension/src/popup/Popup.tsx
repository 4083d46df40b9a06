/**
 * The popup: the host's full `status` (readers and which one holds the JPKI card, the card,
 * certificates, tries left), diagnostics to copy, and PIN change. Only the extension's own pages
 * can ask the background for these.
 */
import { useEffect, useState } from 'preact/hooks';
import { JpkiError } from '@jpki-bridge/shared/errors';
import type { HostStatus } from '../messages.ts';
import { askBackground } from '../lib/ui-client.ts';
import { browser } from '../lib/browser.ts';
import { GUIDE_URL } from '../ui/links.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { CardView } from './CardView.tsx';
import { ChangePin } from './ChangePin.tsx';
import { diagnostics } from './diagnostics.ts';

export function Popup() {
  const i18n = useI18n();
  const [status, setStatus] = useState<HostStatus | null>(null);
  const [error, setError] = useState<JpkiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [copied, setCopied] = useState(false);

  const refresh = () => {
    setLoading(true);
    askBackground<HostStatus>({ channel: 'ui', command: 'host-status' })
      .then((s) => {
        setStatus(s);
        setError(null);
      })
      .catch((e: unknown) => {
        setStatus(null);
        setError(e instanceof JpkiError ? e : new JpkiError('ERR_JPKI_UNKNOWN'));
      })
      .finally(() => setLoading(false));
  };
  useEffect(refresh, []);

  const copy = async () => {
    await navigator.clipboard.writeText(diagnostics(status, error, navigator.userAgent)).catch(() => {});
    setCopied(true);
  };

  return (
    <main class="popup">
      <h1>
        <Text k="popupTitle" />
      </h1>
      {loading && (
        <p aria-live="polite">
          <Text k="popupLoading" />
        </p>
      )}
      {error && (
        <div class="danger" role="alert" data-testid="popup-error">
          <span lang={i18n.lang}>{i18n.t(`error_${error.code}`)}</span>
          <span class="alt" aria-hidden="true">
            {i18n.alt(`error_${error.code}`)}
          </span>
        </div>
      )}
      {status && <StatusView status={status} onPinTried={refresh} />}
      <div class="buttons" style="justify-content:flex-start">
        <button type="button" id="refresh" onClick={refresh}>
          <Text k="popupRefresh" />
        </button>
        <button type="button" id="copy-diagnostics" onClick={copy}>
          <Text k="popupCopyDiagnostics" />
        </button>
      </div>
      {copied && (
        <p class="small" aria-live="polite">
          <Text k="popupCopied" />
        </p>
      )}
      {status?.card && <ChangePin onChanged={refresh} />}
      <p class="small links">
        <a href={GUIDE_URL} target="_blank" rel="noreferrer" data-testid="guide-link">
          {i18n.t('popupGuide')}
        </a>
        {' · '}
        <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
          {i18n.t('popupOptions')}
        </a>
        {' · '}
        <a href={browser.runtime.getURL('/welcome.html')} target="_blank" rel="noreferrer">
          {i18n.t('popupWelcome')}
        </a>
      </p>
    </main>
  );
}

function StatusView({ status, onPinTried }: { status: HostStatus; onPinTried: () => void }) {
  const i18n = useI18n();
  return (
    <section data-testid="status">
      <p class="small">
        <Text k="popupVersions" subs={{ ext: status.extensionVersion, host: status.hostVersion }} />
      </p>
      <h2>
        <Text k="popupReaders" />
      </h2>
      {status.readers.length === 0 ? (
        <p>
          <Text k="popupNoReader" />
        </p>
      ) : (
        <ul class="plain" data-testid="readers">
          {status.readers.map((reader) => (
            <li key={reader.name} data-jpki={reader.jpki ? 'true' : 'false'}>
              <span>{reader.name}</span>
              <span class={reader.cardPresent ? 'ok' : 'small'}>{i18n.t(readerState(reader))}</span>
            </li>
          ))}
        </ul>
      )}
      <h2>
        <Text k="popupCard" />
      </h2>
      {!status.card ? (
        <p>
          <Text k="popupNoCardInserted" />
        </p>
      ) : (
        <CardView card={status.card} onPinTried={onPinTried} />
      )}
    </section>
  );
}

/** Which reader holds the JPKI card, which holds another card, which is empty. */
function readerState(reader: HostStatus['readers'][number]): string {
  if (reader.jpki) return 'popupJpkiCard';
  return reader.cardPresent ? 'popupCardPresent' : 'popupNoCard';
}
