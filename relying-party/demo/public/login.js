// Login page: both the origin-bound jpki:* API and the portal-compatible launchApp events.
import * as jpki from '/jpki-bridge.js';
import { postJson, setStatus } from '/api.js';

const status = document.getElementById('status');
const buttons = [document.getElementById('login-jpki'), document.getElementById('login-portal')];

async function run(action) {
  buttons.forEach((b) => (b.disabled = true));
  try {
    await action();
  } finally {
    buttons.forEach((b) => (b.disabled = false));
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
const ready = document.getElementById('portal-ready');
function portalAvailable() {
  return document.getElementById('extension-is-installed').value !== '';
}
setTimeout(() => {
  if (portalAvailable()) {
    setStatus(ready, 'ok', `拡張機能 v${document.getElementById('extension-is-installed').value} / ホスト ${document.getElementById('app-is-installed').value || '—'}`, 'Extension and host found');
  } else {
    setStatus(ready, 'ng', 'このサイトは拡張機能の許可リストにありません (または拡張機能がありません)。', 'This site is not on the extension’s allow-list (or the extension is missing).');
  }
}, 1500);

function launchApp(detail, timeoutMs = 130_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no recvMsg')), timeoutMs);
    document.addEventListener(
      'recvMsg',
      (event) => {
        clearTimeout(timer);
        resolve(JSON.parse(event.detail));
      },
      { once: true },
    );
    window.dispatchEvent(new CustomEvent('launchApp', { detail: JSON.stringify(detail) }));
  });
}

document.getElementById('login-portal').addEventListener('click', () =>
  run(async () => {
    setStatus(status, '', 'カードの暗証番号 (4桁) を拡張機能の画面に入力してください…', 'Enter the 4-digit PIN in the extension’s dialog…');
    try {
      const { digest } = await postJson('/api/portal/challenge', {});
      const answer = await launchApp({ mode: '01', digest });
      if (answer.result !== '0') {
        setStatus(status, 'ng', `カードの操作に失敗しました: ${answer.errcode}`, `The card operation failed: ${answer.errcode}`);
        return;
      }
      const signature = Array.isArray(answer.signature) ? answer.signature[0] : answer.signature;
      showVerdict(await postJson('/api/portal/login', { signature, certificate: answer.certificate }));
    } catch (error) {
      setStatus(status, 'ng', '拡張機能から応答がありません。', `No answer from the extension (${error.message}).`);
    }
  }),
);
