/**
 * The site, on Express: a page with a login button, and the endpoints of login-flow.js — a nonce,
 * the login (@jpki-bridge/verifier checks the `jpki-bridge:1` token the page got from the card),
 * and the linking of a card the site has not seen (sign-up, or a renewed card) by a signature
 * with the signing certificate. Sessions are express-session's (in memory here).
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import session from 'express-session';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '@jpki-bridge/verifier';
import { createLoginFlow } from './login-flow.js';

/**
 * Starts the site on `port` (0: any free one). `origin` is where browsers reach it — tokens are
 * bound to it. With `developmentCa` (PEM) it trusts a virtual card's development CA instead of the
 * J-LIS roots: for development and tests only.
 */
export async function startSite({ port = 0, origin, developmentCa } = {}) {
  const app = express();
  const server = await new Promise((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  const siteOrigin = origin ?? `http://localhost:${server.address().port}`;
  const verifier = new JpkiVerifier({
    origin: siteOrigin,
    ...(developmentCa ? { trustAnchors: trustAnchorsFrom(developmentCa, 'development CA'), policies: JPKI_TEST_POLICY_OIDS } : {}),
    // J-LIS answers revocation queries only for certified verifiers: a decision, written down.
    revocation: 'not-checked',
  });
  const flow = createLoginFlow({ verifier, origin: siteOrigin });

  app.use(express.static(fileURLToPath(new URL('./public/', import.meta.url))));
  // The page library, served from the installed package.
  app.use('/jpki', express.static(dirname(fileURLToPath(import.meta.resolve('@jpki-bridge/page')))));
  app.use(express.json());
  // A real site keeps its secret and its sessions in its own stores; these last as long as the process.
  // `secure: 'auto'`: a Secure cookie over https, a plain one on http://localhost.
  app.use(
    session({
      secret: randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'strict', secure: 'auto' },
    }),
  );

  /** One step of the flow as a route: the answer's status and body; a login starts a new session. */
  const route = (step) => async (req, res) => {
    const { status, body, accountId } = await step(req.session, req.body);
    if (accountId) {
      // A new session id at login: one fixed before it (session fixation) is worth nothing after.
      await new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
      req.session.accountId = accountId;
    }
    res.status(status).json(body);
  };
  app.post('/login/nonce', route(flow.loginNonce));
  app.post('/login', route(flow.login));
  app.post('/link/challenge', route(flow.linkChallenge));
  app.post('/account/create', route(flow.createAccount));
  app.post('/account/link', route(flow.linkCard));

  return {
    url: siteOrigin,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
