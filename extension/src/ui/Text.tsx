/**
 * A message in the primary language with the other language alongside. The alternate line is
 * hidden from screen readers (it repeats the same meaning), and marked with its own `lang`.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Subs, Translator } from './translate.ts';

export const I18nContext = createContext<Translator | null>(null);

export function useI18n(): Translator {
  const translator = useContext(I18nContext);
  if (!translator) throw new Error('I18nContext missing');
  return translator;
}

export function Text({ k, subs, block }: { k: string; subs?: Subs; block?: boolean }) {
  const i18n = useI18n();
  return (
    <>
      <span lang={i18n.lang}>{i18n.t(k, subs)}</span>
      <span class={block ? 'alt alt-block' : 'alt'} lang={i18n.altLang} aria-hidden="true">
        {i18n.alt(k, subs)}
      </span>
    </>
  );
}
