/** Issue 19 finding 11: the options page warns before a wildcard over a whole registry domain goes on the portal list. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isWidePattern } from '../../extension/src/options/wide-pattern.ts';

describe('wide allow-list patterns', () => {
  it.each(['*.co.jp', '*.lg.jp', '*.go.jp', '*.ne.jp', '*.or.jp', '*.ac.jp', '*.jp', '*.com'])('%s is wide', (pattern) => {
    expect(isWidePattern(pattern)).toBe(true);
  });

  it.each(['*.example.co.jp', '*.city.chiyoda.lg.jp', '*.example.jp', 'https://www.co.jp', 'https://myna.go.jp', '*.tokyo.jp'])('%s is not', (pattern) => {
    expect(isWidePattern(pattern)).toBe(false);
  });

  it('the warning is written in Japanese and English', () => {
    for (const lang of ['ja', 'en']) {
      const messages = JSON.parse(readFileSync(new URL(`../../extension/public/_locales/${lang}/messages.json`, import.meta.url), 'utf8'));
      expect(messages.optionsWidePattern.message).toMatch(/\*\.co\.jp/);
    }
  });
});
