import type { Ref } from 'preact';
/**
 * The PIN / consent dialog. Shows who asks (the origin, loudly, and what the origin truly is),
 * what will happen, which PIN and the tries left; validates as the user types; asks for explicit
 * confirmation on the last try; explains a lock. A failure names its next step and, when checking
 * again may help (no reader, no card, a busy card), offers 再試行 in the same window. 30 s before
 * the deadline it warns and offers 延長. Blocking the site asks first.
 * Keyboard: focus starts in the PIN field, Enter submits, Escape cancels (or leaves the block
 * question). The buttons sit in a footer that stays in view however small the window.
 * Errors are announced through an aria-live region. The PIN lives only in the field until sent.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { OPERATIONS } from '@jpki-bridge/shared/operations';
import { POLICY, type PinKind } from '@jpki-bridge/shared/policy';
import type { DialogState, SiteKind } from '../dialog-protocol.ts';
import { blockOrigin } from '../settings/block-list.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { MAX_LENGTH, problemKey, viewPinInput } from './pin-input.ts';
import type { DialogConnection } from './connection.ts';
import { nextStepKey } from './next-step.ts';
import { DeadlineFooter } from './DeadlineFooter.tsx';
import { BlockSite } from './BlockSite.tsx';

export function Dialog({ state, connection }: { state: DialogState; connection: DialogConnection }) {
  const i18n = useI18n();
  const [raw, setRaw] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [showPin, setShowPin] = useState(false);
  const [blocking, setBlocking] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const retryRef = useRef<HTMLButtonElement>(null);
  const view = viewPinInput(state.kind, raw, state.phase, confirmed);

  // A new question from the background (wrong PIN, last try, lock, 再試行): start over. The card's answer
  // arriving while the user types is the same question with facts filled in: the field keeps its text.
  useLayoutEffect(() => {
    setRaw('');
    setConfirmed(false);
    setBusy(false);
  }, [state.attempt]);
  const ended = state.phase === 'locked' || state.phase === 'failed';
  // Focus where the user continues, once the field is enabled again (a disabled field cannot take focus).
  useLayoutEffect(() => {
    if (busy || blocking) return;
    if (state.phase === 'failed' && state.retryable) retryRef.current?.focus();
    else if (ended) closeRef.current?.focus();
    else pinRef.current?.focus();
  }, [state.attempt, state.phase, ended, busy, blocking]);

  const cancel = () => {
    connection.send(ended ? { type: 'close' } : { type: 'cancel' });
    window.close();
  };
  const retry = () => connection.send({ type: 'retry' });
  // The site is refused from now on (router.ts), this request included: stored first, then cancelled.
  const block = () => void blockOrigin(state.origin).then(cancel);
  // A layout effect, so that Escape works from the first painted frame (plain effects wait for
  // an animation frame, which a background window may not get soon).
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      if (blocking) setBlocking(false);
      else cancel();
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
    <main class="dialog" data-phase={state.phase}>
      <div class="dialog-body">
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
          <SiteBadge site={state.site} />
          <BlockSite origin={state.origin} open={blocking} onOpen={setBlocking} onBlock={block} />
        </section>

        <section class="what" data-testid="what">
          <h2>
            <Text k={`use${wording}Title`} />
          </h2>
          <div>
            <Text k={`use${wording}Body`} subs={{ count: state.count }} block />
          </div>
          {PERSONAL_DATA[state.kind] && (
            <div class="warning" data-testid="personal-data">
              <Text k={PERSONAL_DATA[state.kind]!} block />
            </div>
          )}
        </section>

        {/* data-error: the code, for a site's tests (@jpki-bridge/testing dialogState()). */}
        <div id="live" class={errorText ? 'danger' : ''} role="alert" aria-live="assertive" data-testid="error" data-error={state.error?.code}>
          {errorText && (
            <>
              <span lang={i18n.lang}>{errorText[0]}</span>
              <span class="alt" lang={i18n.altLang} aria-hidden="true">
                {errorText[1]}
              </span>
            </>
          )}
          {/* The lock and the last try say their next step in their own box below. */}
          {state.error && state.phase !== 'locked' && state.phase !== 'confirm-last-try' && (
            <div class="next-step" data-testid="next-step">
              <Text k={nextStepKey(state.error.code, state.kind)} block />
            </div>
          )}
          {state.error?.detail && (
            <div class="small" data-testid="error-detail">
              {state.error.detail}
            </div>
          )}
        </div>

        {state.phase === 'locked' ? (
          <section data-testid="locked">
            <h2>
              <Text k="lockedTitle" />
            </h2>
            <p>
              <Text k={`lockedBody_${state.kind}`} block />
            </p>
          </section>
        ) : state.phase === 'failed' ? (
          <section data-testid="failed" />
        ) : (
          <form id="pin-form" onSubmit={submit} noValidate>
            <label class="field" for="pin">
              <Text k={PIN_WORDS[state.kind].label} />
            </label>
            <input
              id="pin"
              ref={pinRef}
              type={showPin ? 'text' : 'password'}
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
            <label class="checkbox inline" for="show-pin">
              <input id="show-pin" type="checkbox" checked={showPin} onChange={(event) => setShowPin((event.currentTarget as HTMLInputElement).checked)} />
              <span>
                <Text k="showPin" />
              </span>
            </label>
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
              <div class="danger">
                <Text k={`lastTryWarning_${state.kind}`} block />
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
          </form>
        )}
      </div>

      <footer class="dialog-footer">
        {state.phase !== 'locked' && (
          <DeadlineFooter deadline={state.deadline} extensionsLeft={state.extensionsLeft} onExtend={() => connection.send({ type: 'extend' })} />
        )}
        {ended ? (
          <div class="buttons">
            <CloseButton buttonRef={closeRef} onClick={cancel} primary={!(state.phase === 'failed' && state.retryable)} />
            {state.phase === 'failed' && state.retryable && (
              <button id="retry" ref={retryRef} class="primary" type="button" onClick={retry} data-testid="retry">
                <Text k="retry" />
              </button>
            )}
          </div>
        ) : (
          <div class="buttons">
            <button id="cancel" type="button" onClick={cancel}>
              <Text k="cancel" />
            </button>
            <button id="submit" class="primary" type="submit" form="pin-form" disabled={!view.canSubmit || busy}>
              <Text k="submit" />
            </button>
          </div>
        )}
        <div class="status-line" aria-live="polite" data-testid="card-status">
          {busy ? i18n.t('busy') : state.phase === 'checking' ? i18n.t('checkingCard') : ''}
        </div>
      </footer>
    </main>
  );
}

/**
 * What the origin is, said only when it is true (site-kind.ts). A site nobody vouched for — any
 * other site, or a development origin (whatever runs on this computer) — gets the warning.
 */
function SiteBadge({ site }: { site: SiteKind }) {
  return (
    <>
      {site !== 'other' && (
        <span class={`badge badge-${site}`} data-testid="site-badge" data-site={site}>
          <Text k={SITE_BADGE[site]} />
        </span>
      )}
      {(site === 'other' || site === 'development') && (
        <div class="warning" role="note" data-testid="untrusted-warning">
          <Text k="dialogUntrustedWarning" />
        </div>
      )}
    </>
  );
}

const SITE_BADGE: Record<Exclude<SiteKind, 'other'>, string> = {
  preset: 'dialogBadgePreset',
  added: 'dialogBadgeAdded',
  development: 'dialogBadgeDevelopment',
};

/** Each PIN's official name and rule as the dialog words them (i18n keys). */
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
  if (error.code === 'ERR_JPKI_PIN_LAST_TRY') return [t('lastTryShort'), alt('lastTryShort')];
  return [t(`error_${error.code}`), alt(`error_${error.code}`)];
}

/** The way out of a window that cannot go on (a failure, a locked PIN). */
function CloseButton({ buttonRef, onClick, primary }: { buttonRef: Ref<HTMLButtonElement>; onClick: () => void; primary: boolean }) {
  return (
    <button id="close" ref={buttonRef} class={primary ? 'primary' : ''} type="button" onClick={onClick}>
      <Text k="close" />
    </button>
  );
}
