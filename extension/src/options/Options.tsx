/**
 * Options: the portal allow-list (docs/portal-sites.md) — add with validation, remove, reset to the
 * preset, and per site whether it is shown Windows as the OS — and the sites blocked from the PIN
 * dialog, to unblock.
 */
import { useEffect, useState } from 'preact/hooks';
import { isValidAllowListPattern } from '@jpki-bridge/shared/origin';
import { type PortalSite, readPortalSites, resetAllowList, setPresentWindows, writeAllowList } from '../settings/allow-list.ts';
import { readBlockList, unblockOrigin } from '../settings/block-list.ts';
import { PRIVACY_POLICY_URL } from '../ui/links.ts';
import { Text, useI18n } from '../ui/Text.tsx';
import { Unofficial } from '../ui/Unofficial.tsx';
import { isWidePattern } from './wide-pattern.ts';

export function Options() {
  const i18n = useI18n();
  const [sites, setSites] = useState<readonly PortalSite[]>([]);
  const [blocked, setBlocked] = useState<readonly string[]>([]);
  const [input, setInput] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  /** A wide pattern the user was warned about: entered again, it is added. */
  const [warnedWide, setWarnedWide] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const reload = () => {
    void readPortalSites().then(setSites);
    void readBlockList().then(setBlocked);
  };
  useEffect(reload, []);

  const apply = async (change: Promise<void>) => {
    await change;
    setSaved(true);
    reload();
  };
  const list = sites.map((site) => site.pattern);
  const add = async (event: Event) => {
    event.preventDefault();
    const pattern = input.trim().toLowerCase().replace(/\/$/, '');
    if (!isValidAllowListPattern(pattern)) return setProblem('optionsInvalid');
    if (list.includes(pattern)) return setProblem('optionsDuplicate');
    if (isWidePattern(pattern) && warnedWide !== pattern) {
      setWarnedWide(pattern);
      return setProblem('optionsWidePattern');
    }
    setWarnedWide(null);
    setProblem(null);
    setInput('');
    await apply(writeAllowList([...list, pattern]));
  };

  return (
    <main style="max-width: 40rem">
      <h1>
        <Text k="optionsTitle" />
      </h1>
      <Unofficial />
      <p>
        <Text k="optionsIntro" block />
      </p>
      <p class="small">
        <Text k="optionsPresentWindowsHint" block />
      </p>
      <ul class="plain" id="allow-list" data-testid="allow-list">
        {sites.map(({ pattern, preset, presentWindows }) => (
          <li key={pattern} data-pattern={pattern}>
            <span>
              <code>{pattern}</code> {preset && <span class="badge">{i18n.t('optionsPresetBadge')}</span>}
            </span>
            <label class="checkbox">
              <input
                type="checkbox"
                data-testid="present-windows"
                checked={presentWindows}
                onChange={(e) => void apply(setPresentWindows(pattern, (e.currentTarget as HTMLInputElement).checked))}
              />
              <span>{i18n.t('optionsPresentWindows')}</span>
            </label>
            <button
              type="button"
              aria-label={`${i18n.t('optionsRemove')} ${pattern}`}
              onClick={() => void apply(writeAllowList(list.filter((p) => p !== pattern)))}
            >
              {i18n.t('optionsRemove')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} style="margin-top:0.75rem" noValidate>
        <label class="field" for="pattern">
          <Text k="optionsPattern" />
        </label>
        <div style="display:flex; gap:0.5rem">
          <input
            id="pattern"
            type="text"
            style="letter-spacing:0; font-size:0.9375rem"
            value={input}
            aria-invalid={problem ? 'true' : 'false'}
            aria-describedby="pattern-problem"
            onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" id="add" class="primary">
            {i18n.t('optionsAdd')}
          </button>
        </div>
        <div id="pattern-problem" class="problem" role="alert">
          {problem && i18n.t(problem)}
        </div>
      </form>
      <div class="buttons" style="justify-content:flex-start">
        <button type="button" id="reset" onClick={() => void apply(resetAllowList())}>
          {i18n.t('optionsReset')}
        </button>
      </div>

      <h2>
        <Text k="optionsBlockedTitle" />
      </h2>
      <ul class="plain" id="blocked" data-testid="blocked">
        {blocked.map((origin) => (
          <li key={origin} data-origin={origin}>
            <code>{origin}</code>
            <button type="button" aria-label={`${i18n.t('optionsUnblock')} ${origin}`} onClick={() => void apply(unblockOrigin(origin))}>
              {i18n.t('optionsUnblock')}
            </button>
          </li>
        ))}
      </ul>
      {blocked.length === 0 && (
        <p class="small" data-testid="blocked-none">
          {i18n.t('optionsBlockedNone')}
        </p>
      )}
      <p class="small" aria-live="polite">
        {saved ? i18n.t('optionsSaved') : ''}
      </p>
      <p class="small">
        <a href={PRIVACY_POLICY_URL} target="_blank" rel="noreferrer" data-testid="privacy-link">
          {i18n.t('privacyPolicy')}
        </a>
      </p>
    </main>
  );
}
