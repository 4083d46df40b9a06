// Small helpers shared by the demo pages. Every verdict comes from the server.
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
