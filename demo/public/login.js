// Login page: both the origin-bound jpki:* API and the portal-compatible launchApp events.
import * as jpki from '/jpki-bridge.js';
import { launchApp, portalFailure, portalInputs, postJson, setStatus } from '/api.js';

const status = document.getElementById('status');
const buttons = [document.getElementById('login-jpki'), document.getElementById('login-portal')];

async function run(action) {
  for (const b of buttons) b.disabled = true;
  try {
    await action();
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function showVerdict(verdict) {
  if (verdict.ok) {
    setStatus(status, 'ok', 'ログインしました。', 'Logged in.');
    location.href = verdict.redirect;
  } else {
    setStatus(status, 'ng', `サーバーが拒否しました: ${verdict.code}`, verdict.message ?? '');
  }
}

document.getElementById('login-jpki').addEventListener('click', () =>
  run(async () => {
    setStatus(status, '', 'カードの暗証番号 (4桁) を拡張機能の画面に入力してください…', 'Enter the 4-digit PIN in the extension’s dialog…');
    try {
      const { nonce } = await postJson('/api/auth/nonce', {});
      const token = await jpki.authenticate(nonce);
      showVerdict(await postJson('/api/auth/login', { token }));
    } catch (error) {
      setStatus(status, 'ng', jpki.messageJa(error), `${jpki.messageEn(error)} (${error?.code ?? 'error'})`);
    }
  }),
);

// ---- portal-compatible surface ------------------------------------------------------------
// As a real portal does: read the hidden inputs (the extension's and the app's levels), then
// launchApp mode 01 with service_id "01"; the answer carries the installation's uuid and the
// combination code of card and installation, which the server keeps with the login.
const ready = document.getElementById('portal-ready');
setTimeout(() => {
  const inputs = portalInputs();
  if (inputs.ok) {
    setStatus(
      ready,
      'ok',
      `拡張機能 ${inputs.extension} / アプリ ${inputs.app}: 利用できます`,
      `Extension level ${inputs.extension}, app level ${inputs.app}: ready`,
    );
  } else if (inputs.extension) {
    setStatus(
      ready,
      'ng',
      `アプリ (ホスト) が見つかりません (拡張機能 ${inputs.extension} / アプリ ${inputs.app || '—'})。`,
      'The app (host) is missing or too old.',
    );
  } else {
    setStatus(
      ready,
      'ng',
      'このサイトは拡張機能の許可リストにありません (または拡張機能がありません)。',
      'This site is not on the extension’s allow-list (or the extension is missing).',
    );
  }
}, 1500);

document.getElementById('login-portal').addEventListener('click', () =>
  run(async () => {
    setStatus(status, '', 'カードの暗証番号 (4桁) を拡張機能の画面に入力してください…', 'Enter the 4-digit PIN in the extension’s dialog…');
    try {
      const { digest } = await postJson('/api/portal/challenge', {});
      const answer = await launchApp({ mode: '01', digest });
      if (answer.result !== '0') {
        setStatus(status, 'ng', `カードの操作に失敗しました: ${portalFailure(answer)}`, `The card operation failed: ${portalFailure(answer)}`);
        return;
      }
      const { signature, certificate, uuid, combination_code } = answer;
      showVerdict(await postJson('/api/portal/login', { signature, certificate, uuid, combination_code }));
    } catch (error) {
      setStatus(status, 'ng', '拡張機能から応答がありません。', `No answer from the extension (${error.message}).`);
    }
  }),
);
