/**
 * Two-language text from the `_locales` files (the single source of user-facing strings).
 * The user's preferred language picks the primary language (see primaryLang) — Japanese unless
 * English comes first — and the other one is shown alongside,
 * smaller: Japanese institutions' wording stays visible to English readers and vice versa.
 * Placeholders are `{name}`. Pure: tests use it without a browser.
 */
export type Lang = 'ja' | 'en';
export type Messages = Record<string, { message: string }>;
export type Subs = Record<string, string | number>;

export interface Translator {
  lang: Lang;
  altLang: Lang;
  t(key: string, subs?: Subs): string;
  alt(key: string, subs?: Subs): string;
}

/**
 * The first of the user's preferred languages (navigator.languages, then the browser UI
 * language) that we have; Japanese otherwise. Preferred languages come first because a browser
 * whose UI is only available in English (e.g. Linux builds without language packs) still
 * carries the user's own choice there.
 */
export function primaryLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('ja')) return 'ja';
    if (lower.startsWith('en')) return 'en';
  }
  return 'ja';
}

export function format(template: string, subs: Subs = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in subs ? String(subs[name]) : whole));
}

export function makeTranslator(lang: Lang, messages: Record<Lang, Messages>): Translator {
  const altLang: Lang = lang === 'ja' ? 'en' : 'ja';
  const get = (l: Lang, key: string, subs?: Subs) => format(messages[l][key]?.message ?? messages.ja[key]?.message ?? key, subs);
  return { lang, altLang, t: (key, subs) => get(lang, key, subs), alt: (key, subs) => get(altLang, key, subs) };
}
