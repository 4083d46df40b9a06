/** Loads both `_locales` files for a page (they are the extension's own files, fetched locally). */
import { browser } from '../lib/browser.ts';
import { type Lang, type Messages, type Translator, makeTranslator, primaryLang } from './translate.ts';

export async function loadTranslator(): Promise<Translator> {
  const load = async (lang: Lang): Promise<Messages> =>
    (await fetch(browser.runtime.getURL(`/_locales/${lang}/messages.json`))).json() as Promise<Messages>;
  const [ja, en] = await Promise.all([load('ja'), load('en')]);
  const lang = primaryLang([...navigator.languages, browser.i18n.getUILanguage()]);
  document.documentElement.lang = lang;
  return makeTranslator(lang, { ja, en });
}
