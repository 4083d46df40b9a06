/** Options: the portal allow-list (docs/ARCHITECTURE.md §4.5) — add with validation, remove, reset to the preset. */
import { useEffect, useState } from 'preact/hooks';
import { isValidAllowListPattern } from '@jpki-bridge/shared/origin';
import { readAllowList, resetAllowList, writeAllowList } from '../background/allow-list.ts';
import { Text, useI18n } from '../ui/Text.tsx';

export function Options() {
  const i18n = useI18n();
  const [list, setList] = useState<readonly string[]>([]);
  const [input, setInput] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const reload = () => void readAllowList().then(setList);
  useEffect(reload, []);

  const save = async (next: readonly string[]) => {
    await writeAllowList(next);
    setSaved(true);
    reload();
  };
  const add = async (event: Event) => {
    event.preventDefault();
    const pattern = input.trim().toLowerCase().replace(/\/$/, '');
    if (!isValidAllowListPattern(pattern)) return setProblem('optionsInvalid');
    if (list.includes(pattern)) return setProblem('optionsDuplicate');
    setProblem(null);
    setInput('');
    await save([...list, pattern]);
  };

  return (
    <main style="max-width: 640px">
      <h1>
        <Text k="optionsTitle" />
      </h1>
      <p>
        <Text k="optionsIntro" block />
      </p>
      <ul class="plain" id="allow-list" data-testid="allow-list">
        {list.map((pattern) => (
          <li key={pattern} data-pattern={pattern}>
            <code>{pattern}</code>
            <button type="button" aria-label={`${i18n.t('optionsRemove')} ${pattern}`} onClick={() => save(list.filter((p) => p !== pattern))}>
              {i18n.t('optionsRemove')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} style="margin-top:12px" noValidate>
        <label class="field" for="pattern">
          <Text k="optionsPattern" />
        </label>
        <div style="display:flex; gap:8px">
          <input id="pattern" type="text" style="letter-spacing:0; font-size:15px" value={input} aria-invalid={problem ? 'true' : 'false'} aria-describedby="pattern-problem" onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" id="add" class="primary">
            {i18n.t('optionsAdd')}
          </button>
        </div>
        <div id="pattern-problem" class="problem" role="alert">
          {problem && i18n.t(problem)}
        </div>
      </form>
      <div class="buttons" style="justify-content:flex-start">
        <button type="button" id="reset" onClick={() => void resetAllowList().then(() => { setSaved(true); reload(); })}>
          {i18n.t('optionsReset')}
        </button>
      </div>
      <p class="small" aria-live="polite">{saved ? i18n.t('optionsSaved') : ''}</p>
    </main>
  );
}
