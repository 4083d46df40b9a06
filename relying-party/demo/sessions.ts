/**
 * Cookie sessions for the demo: what a login attempt was challenged with, who is logged in, and
 * the filings in progress. In memory; a real site would use its own session store. The nonce is
 * kept server-side per session (as Web eID's examples do), so the page never chooses which
 * challenge its token answers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthSuccess, PreparedXmlSignature, Holder } from '../src/index.ts';

export interface Filing {
  prepared: PreparedXmlSignature;
  signedXml?: string;
  holder?: Holder;
}

export interface Session {
  id: string;
  /** The challenge issued for `jpki:authenticate` (one at a time). */
  authNonce?: string;
  /** The nonce behind the DigestInfo issued for `launchApp` mode 01. */
  portalNonce?: string;
  login?: { via: 'jpki:authenticate' | 'launchApp'; result: AuthSuccess; at: Date };
  filings: Map<string, Filing>;
}

const COOKIE = 'jpki_demo_sid';

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  /** The request's session, creating one (and setting the cookie) when there is none. */
  get(request: IncomingMessage, response: ServerResponse): Session {
    const id = /(?:^|;\s*)jpki_demo_sid=([A-Za-z0-9_-]{22,64})/.exec(request.headers.cookie ?? '')?.[1];
    const existing = id ? this.sessions.get(id) : undefined;
    if (existing) return existing;
    const session: Session = { id: randomBytes(24).toString('base64url'), filings: new Map() };
    this.sessions.set(session.id, session);
    // HttpOnly + SameSite=Strict: the API is only called by the demo's own pages.
    response.setHeader('Set-Cookie', `${COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Strict`);
    return session;
  }
}
