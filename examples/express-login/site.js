/**
 * The site: a page with a login button, and two endpoints — a fresh nonce, and the login, where
 * @jpki-bridge/verifier checks the `jpki-bridge:1` token the page got from the card.
 */
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '@jpki-bridge/verifier';

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
  /** Who is logged in, by session cookie (a real site keeps this in its session store). */
  const sessions = new Map();
  /**
   * The nonce each browser was given, by a pre-login cookie: the login takes the nonce from here,
   * never from the request body, so a token made for a nonce issued to another browser (one an
   * attacker relays from their own session) does not log this browser in. Bounded: the oldest go.
   */
  const issuedNonces = new Map();

  app.use(express.static(fileURLToPath(new URL('./public/', import.meta.url))));
  // The page library, served from the installed package.
  app.use('/jpki', express.static(dirname(fileURLToPath(import.meta.resolve('@jpki-bridge/page')))));
  app.use(express.json());

  app.post('/login/nonce', async (_req, res) => {
    const nonce = await verifier.issueNonce();
    const preLogin = randomUUID();
    issuedNonces.set(preLogin, nonce);
    if (issuedNonces.size > 10_000) issuedNonces.delete(issuedNonces.keys().next().value);
    res.cookie('prelogin', preLogin, { httpOnly: true, sameSite: 'strict' });
    res.json({ nonce });
  });
  app.post('/login', async (req, res) => {
    const preLogin = cookie(req, 'prelogin');
    const nonce = (preLogin && issuedNonces.get(preLogin)) ?? '';
    if (preLogin) issuedNonces.delete(preLogin);
    res.clearCookie('prelogin');
    const result = await verifier.verifyAuthToken(req.body?.token, { nonce });
    if (!result.ok) return res.status(401).json({ error: result.code });
    const session = randomUUID();
    sessions.set(session, { subject: result.subject, certificate: result.certificateInfo.fingerprint256 });
    res.cookie('session', session, { httpOnly: true, sameSite: 'strict' });
    res.json(sessions.get(session));
  });

  return {
    url: siteOrigin,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** One cookie's value from the request (a real site would use its session middleware). */
function cookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return decodeURIComponent(pair.slice(at + 1).trim());
  }
  return undefined;
}
