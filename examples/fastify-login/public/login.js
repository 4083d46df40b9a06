// The login, started by the user's click (the extension opens its PIN dialog only after one):
// a nonce from the server (kept in this browser's session), the card's signature over it
// (jpki:authenticate), the token to the server. A card the site has not seen yet is linked by a
// second click: the server's challenge signed with the signing certificate (one PIN dialog), to
// create an account or to link a renewed card to the account of the same name and date of birth.
import { authenticate, sign, messageJa, messageEn } from '/jpki/index.js';

const element = (id) => document.getElementById(id);
const show = (id, text) => Object.assign(element(id), { hidden: false, textContent: text });
const post = async (path, body) => {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { ok: response.ok, body: await response.json() };
};

/** Runs one step of the login from a click; shows the account, the linking choice or the error. */
const onClick = (id, step) =>
  element(id).addEventListener('click', async () => {
    for (const shown of ['welcome', 'error', 'link']) element(shown).hidden = true;
    try {
      const answer = await step();
      if (answer.ok) show('welcome', `ようこそ / Welcome: ${answer.body.name} (account ${answer.body.account})`);
      else if (answer.body.error === 'CARD_NOT_LINKED') element('link').hidden = false;
      else show('error', `ログインできませんでした / Login refused: ${answer.body.error}`);
    } catch (error) {
      show('error', `${messageJa(error)} / ${messageEn(error)}`);
    }
  });

onClick('login', async () => {
  const { body } = await post('/login/nonce', {});
  return post('/login', { token: await authenticate(body.nonce) });
});

/** The signing step: the server's challenge, signed with the signing certificate, sent to `path`. */
const linkWith = (path) => async () => {
  const challenge = await post('/link/challenge', {});
  if (!challenge.ok) return challenge;
  const { certificate, signatures } = await sign([challenge.body.hash], 'SHA-256');
  return post(path, { certificate, signature: signatures[0] });
};
onClick('create-account', linkWith('/account/create'));
onClick('link-card', linkWith('/account/link'));
