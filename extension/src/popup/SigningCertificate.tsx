/**
 * The signing certificate after its PIN: its validity and holder (name, address, date of birth,
 * sex), which the card gives only after the 署名用電子証明書の暗証番号 is verified. The PIN is taken
 * by this form, as the popup's PIN change takes PINs: checked against its rule as typed (a
 * malformed one cannot be sent), the last try only with the explicit confirmation, cleared after
 * the one request. The certificate lives in this component's state only — never in storage, never
 * logged — and is gone when the popup closes or 隠す is pressed.
 */
import { useState } from 'preact/hooks';
import { base64ToBytes } from '@jpki-bridge/shared/base64';
import { askBackground } from '../lib/ui-client.ts';
import { type CertificateDetails, type CertificateHolder, certificateDetails, certificateHolder } from '../lib/certificate-details.ts';
import { MAX_LENGTH, problemKey, viewPinInput } from '../dialog/pin-input.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { pinFailure } from './pin-failure.ts';
import { CertificateViewer } from './CertificateViewer.tsx';

/** `lastTry`: the card has one try left, so the form asks for the confirmation before sending. */
export function SigningCertificate({ lastTry, onTried }: { lastTry: boolean; onTried: () => void }) {
  const i18n = useI18n();
  const [pin, setPin] = useState('');
  const [needsConfirm, setNeedsConfirm] = useState(lastTry);
  const [confirmed, setConfirmed] = useState(false);
  const [message, setMessage] = useState<{ key: string; subs?: Record<string, number> } | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<{ der: string; details: CertificateDetails; holder: CertificateHolder } | null>(null);

  const asksConfirm = needsConfirm || lastTry;
  const view = viewPinInput('sign', pin, asksConfirm ? 'confirm-last-try' : 'enter', confirmed);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!view.canSubmit || busy) return;
    setBusy(true);
    try {
      const { certificate } = await askBackground<{ certificate: string }>({
        channel: 'ui',
        command: 'show-signing-certificate',
        pin: view.value,
        confirmLastTry: asksConfirm && confirmed,
      });
      const der = base64ToBytes(certificate);
      setShown({ der: certificate, details: certificateDetails(der), holder: certificateHolder(der) });
      setMessage(null);
    } catch (error) {
      const failure = pinFailure(error);
      if (failure.needsConfirm) setNeedsConfirm(true);
      setMessage(failure.message);
    } finally {
      setPin('');
      setConfirmed(false);
      setBusy(false);
      onTried(); // the tries left have changed, or were reset: the PIN states above are read again
    }
  };

  if (shown) return <Shown {...shown} onHide={() => setShown(null)} />;
  return (
    <details data-testid="signing-certificate-reader">
      <summary>
        <Text k="popupSignCertReveal" />
      </summary>
      <form onSubmit={submit} class="card-box" noValidate>
        <label class="field" for="sign-certificate-pin">
          {i18n.t('pinName_sign')}
        </label>
        <p class="hint">{i18n.t('pinHintSign')}</p>
        <input
          id="sign-certificate-pin"
          type="password"
          autoComplete="off"
          inputMode="text"
          maxLength={MAX_LENGTH.sign}
          value={view.value}
          onInput={(event) => setPin((event.currentTarget as HTMLInputElement).value)}
        />
        <div class="problem" aria-live="polite">
          {view.problem ? i18n.t(problemKey(view.problem)) : ''}
        </div>
        {asksConfirm && (
          <div class="danger">
            <Text k="lastTryWarning_sign" block />
            <label class="checkbox" for="sign-certificate-confirm">
              <input
                id="sign-certificate-confirm"
                type="checkbox"
                checked={confirmed}
                onChange={(e) => setConfirmed((e.currentTarget as HTMLInputElement).checked)}
              />
              <span>{i18n.t('confirmLastTry')}</span>
            </label>
          </div>
        )}
        <div role="status" class="problem" data-testid="signing-certificate-message">
          {message && i18n.t(message.key, message.subs)}
        </div>
        <div class="buttons">
          <button type="submit" class="primary" id="sign-certificate-submit" disabled={!view.canSubmit || busy}>
            {i18n.t('popupSignCertShow')}
          </button>
        </div>
      </form>
    </details>
  );
}

function Shown({ der, details, holder, onHide }: { der: string; details: CertificateDetails; holder: CertificateHolder; onHide: () => void }) {
  const i18n = useI18n();
  const locale = i18n.lang === 'ja' ? 'ja-JP' : 'en-GB';
  const date = (d: Date) => d.toLocaleDateString(locale, { timeZone: 'Asia/Tokyo' });
  const birth = holder.dateOfBirth && new Date(`${holder.dateOfBirth}T00:00:00Z`).toLocaleDateString(locale, { timeZone: 'UTC', dateStyle: 'long' });
  return (
    <div data-testid="signing-certificate-shown">
      <div data-testid="sign-valid-until">
        <Text k="popupAuthValidUntil" subs={{ date: date(details.notAfter) }} />
      </div>
      <dl class="fields" data-testid="holder">
        <dt>{i18n.t('holderName')}</dt>
        <dd data-testid="holder-name">{holder.name ?? '—'}</dd>
        <dt>{i18n.t('holderAddress')}</dt>
        <dd data-testid="holder-address">{holder.address ?? '—'}</dd>
        <dt>{i18n.t('holderDateOfBirth')}</dt>
        <dd data-testid="holder-birth">{birth ?? '—'}</dd>
        <dt>{i18n.t('holderSex')}</dt>
        <dd data-testid="holder-sex">{holder.sex === null ? '—' : i18n.t(SEX_TEXT[holder.sex] ?? 'holderSex_unknown')}</dd>
      </dl>
      {holder.hasSubstituteCharacters && <p class="small">{i18n.t('holderSubstitutes')}</p>}
      <CertificateViewer der={der} details={details} testId="sign-certificate-viewer" />
      <p class="small">
        <Text k="popupSignCertNotStored" />
      </p>
      <div class="buttons">
        <button type="button" id="sign-certificate-hide" onClick={onHide}>
          {i18n.t('popupSignCertHide')}
        </button>
      </div>
    </div>
  );
}

/** The certificate's sex code → its words (ISO/IEC 5218 codes; anything else reads as unknown). */
const SEX_TEXT: Record<string, string> = { '1': 'holderSex_male', '2': 'holderSex_female', '9': 'holderSex_notApplicable' };
