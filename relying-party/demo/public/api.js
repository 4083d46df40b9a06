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
