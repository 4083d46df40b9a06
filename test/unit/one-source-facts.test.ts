/**
 * Facts the user reads in the extension's words (`_locales`) are the ones the code runs on: the PIN
 * lengths of shared/src/pin.ts and the tries of shared/src/policy.ts. The texts are the
 * translators'; these tests hold their numbers to the one source. (The error texts: extension-ui.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PIN_LENGTH, checkPin } from '@jpki-bridge/shared/pin';
import { POLICY } from '@jpki-bridge/shared/policy';
import { MAX_LENGTH } from '../../extension/src/dialog/pin-input.ts';
import type { Messages } from '../../extension/src/ui/translate.ts';

const locale = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../extension/public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Messages;
const ja = locale('ja');
const en = locale('en');
const text = (messages: Messages, key: string) => messages[key]?.message ?? '';

describe('PIN lengths: shared/src/pin.ts is the one source', () => {
  it('the rule accepts exactly the lengths PIN_LENGTH gives', () => {
    const { sign, auth, text: textPin } = PIN_LENGTH;
    expect(checkPin('auth', '1'.repeat(auth.max)).ok).toBe(true);
    expect(checkPin('auth', '1'.repeat(auth.max + 1)).ok).toBe(false);
    expect(checkPin('text', '1'.repeat(textPin.max)).ok).toBe(true);
    expect(checkPin('text', '1'.repeat(textPin.min - 1)).ok).toBe(false);
    expect(checkPin('sign', `A${'1'.repeat(sign.min - 1)}`).ok).toBe(true);
    expect(checkPin('sign', `A${'1'.repeat(sign.min - 2)}`)).toEqual({ ok: false, problem: 'sign-too-short' });
    expect(checkPin('sign', `A${'1'.repeat(sign.max - 1)}`).ok).toBe(true);
    expect(checkPin('sign', `A${'1'.repeat(sign.max)}`)).toEqual({ ok: false, problem: 'sign-too-long' });
  });

  it('the dialog field takes at most each PIN’s longest', () => {
    expect(MAX_LENGTH).toEqual({ auth: PIN_LENGTH.auth.max, sign: PIN_LENGTH.sign.max, text: PIN_LENGTH.text.max });
  });

  it('the labels, hints and problems say the same lengths, in both languages', () => {
    const { auth, sign, text: textPin } = PIN_LENGTH;
    for (const key of ['pinLabelAuth', 'pinHintAuth', 'pinProblem_auth_not_4_digits']) {
      expect(text(ja, key), key).toContain(`${auth.max}桁`);
      expect(text(en, key), key).toContain(`${auth.max} digits`);
    }
    for (const key of ['pinLabelText', 'pinHintText', 'pinProblem_text_not_4_digits']) {
      expect(text(ja, key), key).toContain(`${textPin.max}桁`);
      expect(text(en, key), key).toContain(`${textPin.max} digits`);
    }
    expect(text(ja, 'pinLabelSign')).toContain(`${sign.min}〜${sign.max}文字`);
    expect(text(en, 'pinLabelSign')).toContain(`${sign.min}–${sign.max} characters`);
    expect(text(ja, 'pinProblem_sign_too_short')).toContain(`${sign.min}文字以上`);
    expect(text(en, 'pinProblem_sign_too_short')).toContain(`at least ${sign.min} characters`);
    expect(text(ja, 'pinProblem_sign_too_long')).toContain(`${sign.max}文字以内`);
    expect(text(en, 'pinProblem_sign_too_long')).toContain(`at most ${sign.max} characters`);
  });
});

describe('tries: shared/src/policy.ts is the one source', () => {
  it('the popup’s tries left count out of each PIN’s maxTries', () => {
    for (const [key, kind] of [
      ['popupTriesAuth', 'auth'],
      ['popupTriesSign', 'sign'],
      ['popupTriesText', 'text'],
    ] as const) {
      expect(text(ja, key), key).toContain(`{count}/${POLICY[kind].maxTries}`);
      expect(text(en, key), key).toContain(`{count}/${POLICY[kind].maxTries}`);
    }
  });
});
