/** A certificate's subject, issuer, serial number, validity and fingerprint, folded away until asked for (the popup's viewer). */
import { useEffect, useState } from 'preact/hooks';
import { base64ToBytes } from '@jpki-bridge/shared/base64';
import { type CertificateDetails, fingerprintSha256 } from '../lib/certificate-details.ts';
import { Text, useI18n } from '../ui/Text.tsx';

export function CertificateViewer({ der, details, testId }: { der: string; details: CertificateDetails; testId: string }) {
  const i18n = useI18n();
  const [fingerprint, setFingerprint] = useState('');
  useEffect(() => {
    void fingerprintSha256(base64ToBytes(der)).then(setFingerprint, () => setFingerprint(''));
  }, [der]);
  const when = (d: Date) => d.toLocaleString(i18n.lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo' });
  return (
    <details data-testid={testId}>
      <summary>
        <Text k="popupShowCertificate" />
      </summary>
      <dl class="fields">
        <dt>{i18n.t('certSubject')}</dt>
        <dd data-testid="cert-subject">{details.subject}</dd>
        <dt>{i18n.t('certIssuer')}</dt>
        <dd data-testid="cert-issuer">{details.issuer}</dd>
        <dt>{i18n.t('certSerial')}</dt>
        <dd data-testid="cert-serial">{details.serialNumber}</dd>
        <dt>{i18n.t('certValidity')}</dt>
        <dd>
          {when(details.notBefore)} – {when(details.notAfter)}
        </dd>
        <dt>{i18n.t('certFingerprint')}</dt>
        <dd data-testid="cert-fingerprint">{fingerprint}</dd>
      </dl>
    </details>
  );
}
