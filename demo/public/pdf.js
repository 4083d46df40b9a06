// "PDF に電子署名": the server prepares the PDF (an incremental update with a signature field) and
// the hash of the CMS signed attributes; the card signs that hash under one PIN dialog; the server
// assembles, verifies and shows the signer. The page only carries values back and forth.
import * as jpki from '/jpki-bridge.js';
import { postJson, setStatus } from '/api.js';

const form = document.getElementById('pdf-form');
const status = document.getElementById('status');
const button = document.getElementById('sign');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = document.getElementById('pdf-file').files[0];
  if (!file) {
    setStatus(status, 'ng', 'PDF ファイルを選んでください。', 'Choose a PDF file.');
    return;
  }
  button.disabled = true;
  document.getElementById('result').hidden = true;
  try {
    const response = await fetch(`/api/pdf/prepare?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/pdf' },
      body: file,
      credentials: 'same-origin',
    });
    const prepared = await response.json();
    if (!prepared.id) {
      setStatus(status, 'ng', `この PDF には署名できません: ${prepared.message}`, 'This PDF cannot be signed here.');
      return;
    }
    setStatus(status, '', '署名用パスワードを拡張機能の画面に入力してください…', 'Enter the signing password in the extension’s dialog…');
    const signed = await jpki.signDocument(prepared);
    const verdict = await postJson('/api/pdf/complete', { id: prepared.id, ...signed });
    if (!verdict.ok) {
      setStatus(status, 'ng', `サーバーが署名を拒否しました: ${verdict.code}`, verdict.message ?? '');
      return;
    }
    setStatus(status, 'ok', '署名しました。', 'Signed.');
    show(verdict);
  } catch (error) {
    setStatus(status, 'ng', jpki.messageJa(error), `${jpki.messageEn(error)} (${error?.code ?? 'error'})`);
  } finally {
    button.disabled = false;
  }
});

function show(verdict) {
  const text = (id, value) => (document.getElementById(id).textContent = value ?? '—');
  text('holder-name', verdict.holder.name);
  text('holder-address', verdict.holder.address);
  text('signing-time', verdict.signingTime);
  text('cert-issuer', verdict.certificate.issuer);
  text('cert-not-after', verdict.certificate.notAfter);
  document.getElementById('download').href = verdict.download;
  document.getElementById('result').hidden = false;
}
