// Small helpers shared by the demo pages. Every verdict comes from the server.
import * as jpki from '/jpki-bridge.js';

export async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  return response.json();
}

export function setStatus(element, kind, ja, en) {
  element.className = `status ${kind}`;
  element.textContent = '';
  const main = document.createElement('span');
  main.textContent = ja;
  const sub = document.createElement('span');
  sub.className = 'en';
  sub.textContent = en;
  element.append(main, sub);
}

/**
 * The signing pages' form (#sign, #status, #result, #download): on submit, `prepare()` starts the
 * server's first step — a promise of { id, hash, hashFunction } or { message }, or null when there
 * is nothing to send (it has said why) — then the card signs the hash under one PIN dialog, the
 * server completes and verifies, and `show(verdict)` fills the result.
 */
export function signOnSubmit(form, { prepare, refused, completePath, done, show }) {
  const status = document.getElementById('status');
  const button = document.getElementById('sign');
  const result = document.getElementById('result');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const preparing = prepare(status);
    if (!preparing) return;
    button.disabled = true;
    result.hidden = true;
    try {
      const prepared = await preparing;
      if (!prepared.id) {
        setStatus(status, 'ng', `${refused[0]}: ${prepared.message}`, refused[1]);
        return;
      }
      setStatus(status, '', '署名用パスワードを拡張機能の画面に入力してください…', 'Enter the signing password in the extension’s dialog…');
      const signed = await jpki.signDocument(prepared);
      const verdict = await postJson(completePath, { id: prepared.id, ...signed });
      if (!verdict.ok) {
        setStatus(status, 'ng', `サーバーが署名を拒否しました: ${verdict.code}`, verdict.message ?? '');
        return;
      }
      setStatus(status, 'ok', ...done);
      show(verdict);
      document.getElementById('download').href = verdict.download;
      result.hidden = false;
    } catch (error) {
      setStatus(status, 'ng', jpki.messageJa(error), `${jpki.messageEn(error)} (${error?.code ?? 'error'})`);
    } finally {
      button.disabled = false;
    }
  });
}

/** Sets the text of the element `id` (an em dash for a missing value). */
export function showText(id, value) {
  document.getElementById(id).textContent = value ?? '—';
}

// ---- the Mynaportal-compatible surface, as a portal page speaks it ------------------------
// What this demo portal requires of the hidden inputs, as the real portal does of the official
// extension (#extension-is-installed) and app (#app-is-installed): at least these levels.
const REQUIRED_LEVELS = { extension: 24, app: 29 };

/** The hidden inputs' values and whether they meet this portal's levels. */
export function portalInputs() {
  const value = (id) => document.getElementById(id)?.value ?? '';
  const extension = value('extension-is-installed');
  const app = value('app-is-installed');
  return { extension, app, ok: Number(extension) >= REQUIRED_LEVELS.extension && Number(app) >= REQUIRED_LEVELS.app };
}

/** launchApp with a JSON string detail (service_id "01": JPKI), the answer from the next recvMsg. */
export function launchApp(detail, timeoutMs = 130_000) {
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
    document.dispatchEvent(new CustomEvent('launchApp', { detail: JSON.stringify({ service_id: '01', ...detail }) }));
  });
}

/** A mode 04 item: the lowercase hex of its UTF-8 bytes. */
export function fromUtf8Hex(hex) {
  return new TextDecoder().decode(Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16)));
}

/** A failed answer's codes, for the status line: the portal's errcode and our own. */
export function portalFailure(answer) {
  return `${answer.errcode ?? 'error'}${answer.jpki_error ? ` / ${answer.jpki_error}` : ''}`;
}
