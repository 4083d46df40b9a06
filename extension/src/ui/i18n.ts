/**
 * The translator of an extension page. Both `_locales` files are bundled into the page's script
 * (the files stay the one source of the strings): the text is there synchronously, so the PIN
 * dialog paints with its first state instead of after two fetches.
 */
import { browser } from '../lib/browser.ts';
import ja from '../../public/_locales/ja/messages.json';
import en from '../../public/_locales/en/messages.json';
import { type Translator, makeTranslator, primaryLang } from './translate.ts';

export function pageTranslator(): Translator {
  const lang = primaryLang([...navigator.languages, browser.i18n.getUILanguage()]);
  document.documentElement.lang = lang;
  return makeTranslator(lang, { ja, en });
}
