/**
 * The popup's answer to "can I log in, can I file today?": the authentication certificate's
 * validity and renewal window with a viewer, the signing certificate present or absent and why
 * (and, after its PIN, its validity and holder: SigningCertificate.tsx), and each PIN's state
 * (tries left, locked, what to do). Nothing here is stored.
 */
import { base64ToBytes } from '@jpki-bridge/shared/base64';
import { POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import type { HostStatus } from '../messages.ts';
import { type CertificateDetails, certificateDetails } from '../lib/certificate-details.ts';
import { renewalOpens, renewalState } from '../lib/certificate-validity.ts';
import { nextStepKey } from '../dialog/next-step.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { CertificateViewer } from './CertificateViewer.tsx';
import { SigningCertificate } from './SigningCertificate.tsx';

type Card = NonNullable<HostStatus['card']>;

/** `onPinTried`: a PIN went to the card here, so its tries left are read again. */
export function CardView({ card, onPinTried, now = new Date() }: { card: Card; onPinTried: () => void; now?: Date }) {
  const i18n = useI18n();
  const date = (d: Date) => d.toLocaleDateString(i18n.lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo' });
  let details: CertificateDetails | null = null;
  try {
    details = certificateDetails(base64ToBytes(card.authCertificate));
  } catch {
    details = null;
  }
  const renewal = details ? renewalState(details.notAfter, now) : null;
  return (
    <div class="card-box" data-testid="card">
      <h2>
        <Text k="popupAuthCertTitle" />
      </h2>
      {details && renewal ? (
        <>
          <div data-testid="auth-valid-until">
            <Text k="popupAuthValidUntil" subs={{ date: date(details.notAfter) }} />
          </div>
          <div class={renewal === 'not-yet' ? 'small' : renewal === 'open' ? 'warning' : 'danger'} data-testid="renewal" data-renewal={renewal}>
            <Text k={RENEWAL_TEXT[renewal]} subs={{ date: date(renewalOpens(details.notAfter)) }} />
          </div>
          <CertificateViewer der={card.authCertificate} details={details} testId="auth-certificate-viewer" />
        </>
      ) : (
        <p class="small">
          <Text k="popupCertUnreadable" />
        </p>
      )}

      <h2>
        <Text k="popupSignCertTitle" />
      </h2>
      <div data-testid="signing-certificate" data-present={card.hasSigningCertificate ? 'true' : 'false'}>
        <Text k={card.hasSigningCertificate ? 'popupSignCertPresent' : 'popupSignCertAbsent'} block />
      </div>
      {card.hasSigningCertificate && renewal === 'expired' && (
        <div class="danger">
          <Text k="popupSignCertExpiredToo" block />
        </div>
      )}
      {card.hasSigningCertificate && renewal !== 'expired' && card.retries.sign > 0 && (
        // keyed by the card's certificate: another card put in never shows the last card's holder
        <SigningCertificate key={card.authCertificate} lastTry={card.retries.sign === 1} onTried={onPinTried} />
      )}

      <h2>
        <Text k="popupPinsTitle" />
      </h2>
      <ul class="plain pins">
        <PinState kind="auth" left={card.retries.auth} />
        {card.hasSigningCertificate ? (
          <PinState kind="sign" left={card.retries.sign} />
        ) : (
          <li data-testid="tries-sign" data-state="unused">
            <span>
              <Text k="pinName_sign" />
            </span>
            <span class="small">
              <Text k="popupPinUnusedNoSignCert" />
            </span>
          </li>
        )}
        {card.retries.text !== null && <PinState kind="text" left={card.retries.text} />}
      </ul>
      <p class="small">
        <Text k="popupResidentPinNote" block />
      </p>
    </div>
  );
}

const RENEWAL_TEXT = { 'not-yet': 'popupRenewalNotYet', open: 'popupRenewalOpen', expired: 'popupExpired' } as const;

/** One PIN: tries left of the most, and at 1 or 0 what that means and what to do. */
function PinState({ kind, left }: { kind: PinKind; left: number }) {
  const max = POLICY[kind].maxTries;
  const state = left === 0 ? 'locked' : left === 1 ? 'last-try' : 'ok';
  return (
    <li data-testid={`tries-${kind}`} data-state={state} class="pin-state">
      <span>
        <Text k={`pinName_${kind}`} />
      </span>
      <span class={state === 'ok' ? '' : 'danger'}>
        <Text k={state === 'locked' ? 'popupPinLocked' : 'popupTriesLeft'} subs={{ count: left, max }} />
      </span>
      {state !== 'ok' && (
        <div class="small pin-next" data-testid={`next-${kind}`}>
          <Text k={nextStepKey(state === 'locked' ? 'ERR_JPKI_PIN_LOCKED' : 'ERR_JPKI_PIN_LAST_TRY', kind)} block />
        </div>
      )}
    </li>
  );
}
