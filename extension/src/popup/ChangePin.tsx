/**
 * PIN change for each PIN (the two keys' and the card-face text PIN), under its rule (checkPin as the user types). The current PIN and
 * the new one go popup → background → host `change-pin` once and are cleared from the form.
 * One try left → the host answers PIN_LAST_TRY and the form asks for explicit confirmation.
 */
import { useState } from 'preact/hooks';
import { checkPin, normalizePin } from '@jpki-bridge/shared/pin';
import type { PinKind } from '@jpki-bridge/shared/policy';
import { askBackground } from '../lib/ui-client.ts';
import { problemKey, MAX_LENGTH } from '../dialog/pin-input.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { pinFailure } from './pin-failure.ts';

export function ChangePin({ onChanged }: { onChanged: () => void }) {
  return (
    <details data-testid="change-pin">
      <summary>
        <Text k="popupChangePin" />
      </summary>
      <ChangeForm kind="auth" onChanged={onChanged} />
      <ChangeForm kind="sign" onChanged={onChanged} />
      <ChangeForm kind="text" onChanged={onChanged} />
    </details>
  );
}

function ChangeForm({ kind, onChanged }: { kind: PinKind; onChanged: () => void }) {
  const i18n = useI18n();
  const [pin, setPin] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [needsConfirm, setNeedsConfirm] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [message, setMessage] = useState<{ key: string; subs?: Record<string, number>; ok?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const norm = (value: string) => normalizePin(kind, value).slice(0, MAX_LENGTH[kind]);
  const currentOk = checkPin(kind, pin).ok;
  const nextCheck = checkPin(kind, next);
  const matches = next === again;
  const canSubmit = currentOk && nextCheck.ok && matches && (!needsConfirm || confirmed) && !busy;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!canSubmit) return;
    setBusy(true);
    try {
      await askBackground({ channel: 'ui', command: 'change-pin', kind, pin, newPin: next, confirmLastTry: needsConfirm && confirmed });
      setMessage({ key: 'popupPinChanged', ok: true });
      onChanged();
    } catch (error) {
      const failure = pinFailure(error);
      if (failure.needsConfirm) setNeedsConfirm(true);
      setMessage(failure.message);
    } finally {
      setPin('');
      setNext('');
      setAgain('');
      setConfirmed(false);
      setBusy(false);
    }
  };

  const id = (name: string) => `${kind}-${name}`;
  return (
    <form onSubmit={submit} class="card-box" data-testid={`change-${kind}`} noValidate>
      <h2 style="margin-top:0">
        <Text k={FORM_WORDS[kind].title} />
      </h2>
      <p class="hint">{i18n.t(FORM_WORDS[kind].hint)}</p>
      {(
        [
          ['current', 'popupCurrentPin', pin, setPin],
          ['new', 'popupNewPin', next, setNext],
          ['again', 'popupNewPinAgain', again, setAgain],
        ] as const
      ).map(([name, label, value, set]) => (
        <div key={name} style="margin-bottom:0.375rem">
          <label class="field" for={id(name)}>
            {i18n.t(label)}
          </label>
          <input
            id={id(name)}
            type="password"
            autoComplete="off"
            inputMode={kind === 'sign' ? 'text' : 'numeric'}
            maxLength={MAX_LENGTH[kind]}
            value={value}
            onInput={(event) => set(norm((event.currentTarget as HTMLInputElement).value))}
          />
        </div>
      ))}
      <div class="problem" aria-live="polite">
        {next && !nextCheck.ok ? i18n.t(problemKey(nextCheck.problem)) : again && !matches ? i18n.t('popupPinMismatch') : ''}
      </div>
      {needsConfirm && (
        <label class="checkbox" for={id('confirm-last-try')}>
          <input
            id={id('confirm-last-try')}
            type="checkbox"
            checked={confirmed}
            onChange={(e) => setConfirmed((e.currentTarget as HTMLInputElement).checked)}
          />
          <span>{i18n.t('confirmLastTry')}</span>
        </label>
      )}
      <div role="status" class={message?.ok ? 'ok' : 'problem'}>
        {message && i18n.t(message.key, message.subs)}
      </div>
      <div class="buttons">
        <button type="submit" class="primary" id={id('submit')} disabled={!canSubmit}>
          {i18n.t('popupChange')}
        </button>
      </div>
    </form>
  );
}

/** Each form's heading and rule (i18n keys). */
const FORM_WORDS: Record<PinKind, { title: string; hint: string }> = {
  auth: { title: 'popupChangeAuth', hint: 'pinHintAuth' },
  sign: { title: 'popupChangeSign', hint: 'pinHintSign' },
  text: { title: 'popupChangeText', hint: 'pinHintText' },
};
