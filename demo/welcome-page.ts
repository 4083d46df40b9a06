/**
 * The logged-in page. The authentication certificate carries no personal data, so
 * what a site learns is an identifier: the certificate's subject, serial and fingerprint — stable
 * until the certificate is renewed, which is why real sites link it to an account once.
 */
import type { Session } from './sessions.ts';

export function renderWelcome(login: NonNullable<Session['login']>): string {
  const { result, via, at } = login;
  // data-testid from the English label: `installation-uuid`, `combination-code`, `subject`, …
  const info = result.certificateInfo;
  const row = (ja: string, en: string, value: string) =>
    `<tr><th>${ja}<span class="en">${en}</span></th><td data-testid="${en.toLowerCase().replace(/\W+/g, '-')}">${escapeHtml(value)}</td></tr>`;
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><title>ログインしました — Logged in</title><link rel="stylesheet" href="/demo.css"></head>
<body>
<header><a href="/">マイナ・デモポータル <span class="en">Myna demo portal</span></a></header>
<main>
  <h1 data-testid="welcome">ログインしました <span class="en">You are logged in</span></h1>
  <p class="ok">サーバーがトークンを検証しました。<span class="en">The server verified the token.</span></p>
  <table class="facts">
    ${row('方式', 'Method', via === 'launchApp' ? 'launchApp (mode 01, ポータル互換)' : 'jpki:authenticate (jpki-bridge:1)')}
    ${row('利用者識別子 (証明書の主体者)', 'Subject', result.subject)}
    ${row('シリアル番号', 'Serial', result.serial)}
    ${row('SHA-256 指紋', 'Fingerprint', info.fingerprint256)}
    ${row('発行者', 'Issuer', info.issuer)}
    ${row('有効期限', 'Not after', result.notAfter.toISOString())}
    ${row('失効確認', 'Revocation', result.revocation === 'not-checked' ? '未確認 (not checked)' : result.revocation)}
    ${row('ログイン時刻', 'Logged in at', at.toISOString())}
    ${login.portal ? row('インストールID (uuid)', 'Installation uuid', login.portal.uuid) : ''}
    ${login.portal ? row('組み合わせコード (カードとインストールの組)', 'Combination code', login.portal.combinationCode) : ''}
  </table>
  <p class="note">利用者証明用電子証明書には氏名などの個人情報は含まれません。<span class="en">The authentication certificate carries no personal data.</span></p>
  <form method="post" action="/logout"><button type="submit">ログアウト <span class="en">Log out</span></button></form>
  <p><a href="/etax">e-Tax 風の申告デモへ <span class="en">To the e-Tax-like filing demo</span></a></p>
</main>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}
