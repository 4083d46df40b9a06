import type { Ref } from 'preact';
/**
 * The PIN / consent dialog. Shows who asks (the origin, loudly), what will happen, which PIN and
 * the tries left; validates as the user types; asks for explicit confirmation on the last try;
 * explains a lock. Keyboard: focus starts in the PIN field, Enter submits, Escape cancels.
 * Errors are announced through an aria-live region. The PIN lives only in the field until sent.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { OPERATIONS } from '@jpki-bridge/shared/operations';
import { POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import type { DialogState } from '../dialog-protocol.ts';
import { blockOrigin } from '../settings/block-list.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { MAX_LENGTH, problemKey, viewPinInput } from './pin-input.ts';
import type { DialogConnection } from './connection.ts';

export function Dialog({ state, connection }: { state: DialogState; connection: DialogConnection }) {
  const i18n = useI18n();
  const [raw, setRaw] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const view = viewPinInput(state.kind, raw, state.phase, confirmed);

  // A new question from the background (wrong PIN, last try, lock): start over. The card's answer
  // arriving while the user types is the same question with facts filled in: the field keeps its text.
  useLayoutEffect(() => {
    setRaw('');
    setConfirmed(false);
    setBusy(false);
  }, [state.attempt]);
  const ended = state.phase === 'locked' || state.phase === 'failed';
  // Focus where the user continues, once the field is enabled again (a disabled field cannot take focus).
  useLayoutEffect(() => {
    if (busy) return;
    if (ended) closeRef.current?.focus();
    else pinRef.current?.focus();
  }, [state.attempt, ended, busy]);

  const cancel = () => {
    connection.send(ended ? { type: 'close' } : { type: 'cancel' });
    window.close();
  };
  // The site is refused from now on (router.ts), this request included: stored first, then cancelled.
  const block = () => void blockOrigin(state.origin).then(cancel);
  // A layout effect, so that Escape works from the first painted frame (plain effects wait for
  // an animation frame, which a background window may not get soon).
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const submit = (event: Event) => {
    event.preventDefault();
    if (!view.canSubmit || busy) return;
    connection.send({ type: 'pin', pin: view.value, confirmLastTry: state.phase === 'confirm-last-try' && confirmed });
    setRaw(''); // not kept in the page once sent
    setBusy(true);
  };

  const signing = state.kind === 'sign';
  const wording = OPERATIONS[state.use].wording;
  const errorText = describeError(state, i18n.t, i18n.alt);

  return (
    <main data-phase={state.phase}>
      <h1 id="title">
        <Text k="dialogTitle" />
      </h1>

      <section class="origin-box" aria-labelledby="origin-label">
        <div class="label" id="origin-label">
          <Text k="dialogRequestedBy" />
        </div>
        <div class="origin" id="origin" data-testid="origin">
          {state.origin}
        </div>
        {state.allowListed ? (
          <span class="badge" data-testid="trusted-badge">
            <Text k="dialogTrustedBadge" />
          </span>
        ) : (
          <div class="warning" role="note" data-testid="untrusted-warning">
            <Text k="dialogUntrustedWarning" />
          </div>
        )}
        <button id="block-site" type="button" class="link" data-testid="block-site" title={i18n.t('dialogBlockSiteHint')} onClick={block}>
          <Text k="dialogBlockSite" />
        </button>
      </section>

      <section class="what" data-testid="what">
        <h2>
          <Text k={`use${wording}Title`} />
        </h2>
        <div>
          <Text k={`use${wording}Body`} subs={{ count: state.count }} block />
        </div>
        {PERSONAL_DATA[state.kind] && (
          <div class="warning" data-testid="personal-data" style="margin-top:6px">
            <Text k={PERSONAL_DATA[state.kind]!} block />
          </div>
        )}
      </section>

      <div id="live" class={errorText ? 'danger' : ''} role="alert" aria-live="assertive" data-testid="error">
        {errorText && (
          <>
            <span lang={i18n.lang}>{errorText[0]}</span>
            <span class="alt" lang={i18n.altLang} aria-hidden="true">
              {errorText[1]}
            </span>
          </>
        )}
      </div>

      {state.phase === 'failed' ? (
        <section data-testid="failed">
          <CloseButton buttonRef={closeRef} onClick={cancel} />
        </section>
      ) : state.phase === 'locked' ? (
        <section data-testid="locked">
          <h2>
            <Text k="lockedTitle" />
          </h2>
          <p>
            <Text k="lockedBody" block />
          </p>
          <CloseButton buttonRef={closeRef} onClick={cancel} />
        </section>
      ) : (
        <form onSubmit={submit} noValidate>
          <label class="field" for="pin">
            <Text k={PIN_WORDS[state.kind].label} />
          </label>
          <input
            id="pin"
            ref={pinRef}
            type="password"
            inputMode={signing ? 'text' : 'numeric'}
            autoComplete="off"
            autoCapitalize={signing ? 'characters' : 'off'}
            spellcheck={false}
            maxLength={MAX_LENGTH[state.kind]}
            value={view.value}
            disabled={busy}
            aria-invalid={view.problem ? 'true' : 'false'}
            aria-describedby="pin-hint pin-problem tries"
            onInput={(event) => setRaw((event.currentTarget as HTMLInputElement).value)}
          />
          <div class="hint" id="pin-hint">
            <Text k={PIN_WORDS[state.kind].hint} />
          </div>
          <div class="problem" id="pin-problem" aria-live="polite" data-testid="pin-problem">
            {view.problem && <Text k={problemKey(view.problem)} />}
          </div>
          {state.retriesLeft !== null && (
            <div class="tries" id="tries" data-testid="tries">
              <Text k="triesLeft" subs={{ count: state.retriesLeft, max: POLICY[state.kind].maxTries }} />
            </div>
          )}
          {state.phase === 'confirm-last-try' && (
            <div class="danger" style="margin-top:8px">
              <Text k="lastTryWarning" block />
              <label class="checkbox" for="confirm-last-try">
                <input
                  id="confirm-last-try"
                  type="checkbox"
                  checked={confirmed}
                  onChange={(event) => setConfirmed((event.currentTarget as HTMLInputElement).checked)}
                />
                <span>
                  <Text k="confirmLastTry" />
                </span>
              </label>
            </div>
          )}
          <div class="buttons">
            <button id="cancel" type="button" onClick={cancel}>
              <Text k="cancel" />
            </button>
            <button id="submit" class="primary" type="submit" disabled={!view.canSubmit || busy}>
              <Text k="submit" />
            </button>
          </div>
          <div class="status-line">
            <span aria-live="polite" data-testid="card-status">
              {busy ? i18n.t('busy') : state.phase === 'checking' ? i18n.t('checkingCard') : ''}
            </span>
            <Countdown deadline={state.deadline} />
          </div>
        </form>
      )}
    </main>
  );
}

/** Each PIN's name and rule as the dialog words them (i18n keys). */
const PIN_WORDS: Record<PinKind, { label: string; hint: string }> = {
  auth: { label: 'pinLabelAuth', hint: 'pinHintAuth' },
  sign: { label: 'pinLabelSign', hint: 'pinHintSign' },
  text: { label: 'pinLabelText', hint: 'pinHintText' },
};

/** What personal data the site receives, for the PINs that give it some: the signing certificate's, or the card face's four items. */
const PERSONAL_DATA: Record<PinKind, string | null> = { auth: null, sign: 'personalDataWarning', text: 'textDataWarning' };

function describeError(state: DialogState, t: (k: string, s?: Record<string, number>) => string, alt: typeof t): [string, string] | null {
  const error = state.error;
  if (!error) return null;
  if (error.code === 'ERR_JPKI_PIN_INCORRECT' && error.retriesLeft !== undefined) {
    return [t('wrongPin', { count: error.retriesLeft }), alt('wrongPin', { count: error.retriesLeft })];
  }
  if (error.code === 'ERR_JPKI_PIN_LAST_TRY') return [t('lastTryWarning'), alt('lastTryWarning')];
  return [t(`error_${error.code}`), alt(`error_${error.code}`)];
}

function Countdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.round((deadline - now) / 1000));
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  const i18n = useI18n();
  return <span data-testid="countdown">{i18n.t('timeLeft', { time })}</span>;
}

/** The one way out of a window that can only be closed (a failure, a locked PIN). */
function CloseButton({ buttonRef, onClick }: { buttonRef: Ref<HTMLButtonElement>; onClick: () => void }) {
  return (
    <div class="buttons">
      <button id="close" ref={buttonRef} class="primary" type="button" onClick={onClick}>
        <Text k="close" />
      </button>
    </div>
  );
}
