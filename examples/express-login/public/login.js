// The login, started by the user's click (the extension opens its PIN dialog only after one):
// a nonce from the server (bound to this browser by a cookie), the card's signature over it
// (jpki:authenticate), the token to the server.
import { authenticate, messageJa, messageEn } from '/jpki/index.js';

const show = (id, text) => Object.assign(document.getElementById(id), { hidden: false, textContent: text });
const post = async (path, body) => {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { ok: response.ok, body: await response.json() };
};

document.getElementById('login').addEventListener('click', async () => {
  try {
    const {
      body: { nonce },
    } = await post('/login/nonce', {});
    const token = await authenticate(nonce);
    const login = await post('/login', { token });
    if (login.ok) show('welcome', `ようこそ / Welcome: ${login.body.subject}`);
    else show('error', `ログインできませんでした / Login refused: ${login.body.error}`);
  } catch (error) {
    show('error', `${messageJa(error)} / ${messageEn(error)}`);
  }
});
