/**
 * The site, on Fastify: a page with a login button, and the endpoints of login-flow.js — a nonce,
 * the login (@jpki-bridge/verifier checks the `jpki-bridge:1` token the page got from the card),
 * and the linking of a card the site has not seen (sign-up, or a renewed card) by a signature
 * with the signing certificate. Sessions are @fastify/session's (in memory here).
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { JpkiVerifier, JPKI_TEST_POLICY_OIDS, trustAnchorsFrom } from '@jpki-bridge/verifier';
import { createLoginFlow } from './login-flow.js';

/**
 * Starts the site on `port` (0: any free one). `origin` is where browsers reach it — tokens are
 * bound to it. With `developmentCa` (PEM) it trusts a virtual card's development CA instead of the
 * J-LIS roots: for development and tests only.
 */
export async function startSite({ port = 0, origin, developmentCa } = {}) {
  const app = Fastify();
  await app.register(fastifyStatic, { root: fileURLToPath(new URL('./public/', import.meta.url)) });
  // The page library, served from the installed package.
  await app.register(fastifyStatic, { root: dirname(fileURLToPath(import.meta.resolve('@jpki-bridge/page'))), prefix: '/jpki/', decorateReply: false });
  await app.register(fastifyCookie);
  // A real site keeps its secret and its sessions in its own stores; these last as long as the process.
  // `secure: 'auto'`: a Secure cookie over https, a plain one on http://localhost.
  await app.register(fastifySession, {
    secret: randomBytes(32).toString('hex'),
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'strict', secure: 'auto' },
  });

  // Fastify takes routes before it listens, and the origin (the port) is known after: the flow is made then.
  let flow;
  /** One step of the flow as a route: the answer's status and body; a login starts a new session. */
  const route = (step) => async (request, reply) => {
    const { status, body, accountId } = await flow[step](request.session, request.body);
    if (accountId) {
      // A new session id at login: one fixed before it (session fixation) is worth nothing after.
      await request.session.regenerate();
      request.session.accountId = accountId;
    }
    return reply.code(status).send(body);
  };
  app.post('/login/nonce', route('loginNonce'));
  app.post('/login', route('login'));
  app.post('/link/challenge', route('linkChallenge'));
  app.post('/account/create', route('createAccount'));
  app.post('/account/link', route('linkCard'));

  const address = await app.listen({ port, host: '127.0.0.1' });
  const siteOrigin = origin ?? address.replace('127.0.0.1', 'localhost');
  const verifier = new JpkiVerifier({
    origin: siteOrigin,
    ...(developmentCa ? { trustAnchors: trustAnchorsFrom(developmentCa, 'development CA'), policies: JPKI_TEST_POLICY_OIDS } : {}),
    // J-LIS answers revocation queries only for certified verifiers: a decision, written down.
    revocation: 'not-checked',
  });
  flow = createLoginFlow({ verifier, origin: siteOrigin });

  return {
    url: siteOrigin,
    close: () => app.close(),
  };
}
