/**
 * Cookie sessions for the demo: what a login attempt was challenged with, who is logged in, and
 * the filings in progress. In memory; a real site would use its own session store. The nonce is
 * kept server-side per session (as Web eID's examples do), so the page never chooses which
 * challenge its token answers.
 *
 * Every cookie-less request makes a session, so the store is bounded: at most `maxSessions`,
 * least recently used first out, and a session idle for `idleMs` is forgotten. A flood of
 * requests can push other sessions out (those users log in again), never grow memory.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthSuccess, PreparedDocumentSignature, PreparedXmlSignature, Holder } from '@jpki-bridge/relying-party';

export interface Filing {
  prepared: PreparedXmlSignature;
  /** The filer written into the return, when the form had one (from the card face, mode 04). */
  filer?: { name: string; address: string };
  signedXml?: string;
  holder?: Holder;
}

/** A PDF being signed on the "PDF に電子署名" page: prepared, then signed once. */
export interface PdfSigning {
  name: string;
  prepared: PreparedDocumentSignature;
  signedPdf?: Uint8Array;
}

/**
 * What a portal answer says besides the signature: the installation's uuid and the combination
 * code of card and installation (SHA-256 of a salt, the card's manufacture number and the uuid).
 * A real portal keeps them with the login to recognise the pair; the demo shows them.
 */
export interface PortalIdentity {
  uuid: string;
  combinationCode: string;
}

export interface Session {
  id: string;
  /** The challenge issued for `jpki:authenticate` (one at a time). */
  authNonce?: string;
  /** The nonce behind the DigestInfo issued for `launchApp` mode 01. */
  portalNonce?: string;
  login?: { via: 'jpki:authenticate' | 'launchApp'; result: AuthSuccess; at: Date; portal?: PortalIdentity };
  /** The most recent MAX_FILINGS filings; older ones are dropped. */
  filings: Map<string, Filing>;
  /** The most recent PDFs being signed (each holds a whole document). */
  pdfs: Map<string, PdfSigning>;
}

export interface SessionStoreOptions {
  maxSessions?: number;
  idleMs?: number;
  /** Injectable clock (ms), for tests. */
  now?: () => number;
}

export const SESSION_LIMITS = { maxSessions: 10_000, idleMs: 30 * 60_000, maxFilings: 20, maxPdfs: 3 } as const;

const COOKIE = 'jpki_demo_sid';

/** A Map that keeps only its `limit` most recently added keys (each filing holds a whole document). */
class RecentMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    while (this.size > this.limit) this.delete(this.keys().next().value!);
    return this;
  }
}

export class SessionStore {
  /** In order of last use (a Map iterates in insertion order; a hit is moved to the end). */
  private readonly sessions = new Map<string, { session: Session; lastSeen: number }>();
  private readonly maxSessions: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.maxSessions = options.maxSessions ?? SESSION_LIMITS.maxSessions;
    this.idleMs = options.idleMs ?? SESSION_LIMITS.idleMs;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The request's session, creating one (and setting the cookie) when there is none. */
  get(request: IncomingMessage, response: ServerResponse): Session {
    const now = this.now();
    this.forgetIdle(now);
    const id = /(?:^|;\s*)jpki_demo_sid=([A-Za-z0-9_-]{22,64})/.exec(request.headers.cookie ?? '')?.[1];
    const existing = id ? this.sessions.get(id) : undefined;
    if (existing) {
      this.sessions.delete(existing.session.id);
      this.sessions.set(existing.session.id, { session: existing.session, lastSeen: now });
      return existing.session;
    }
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const session: Session = {
      id: randomBytes(24).toString('base64url'),
      filings: new RecentMap(SESSION_LIMITS.maxFilings),
      pdfs: new RecentMap(SESSION_LIMITS.maxPdfs),
    };
    this.sessions.set(session.id, { session, lastSeen: now });
    // HttpOnly + SameSite=Strict: the API is only called by the demo's own pages.
    response.setHeader('Set-Cookie', `${COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Strict`);
    return session;
  }

  /** From the least recently used, while idle too long. */
  private forgetIdle(now: number): void {
    for (const [id, { lastSeen }] of this.sessions) {
      if (now - lastSeen <= this.idleMs) break;
      this.sessions.delete(id);
    }
  }
}
