/**
 * The login and the account linking, without a web framework: site.js calls these from its routes
 * with the browser's session (a plain object its session middleware keeps) and the request body,
 * and sends back `{ status, body }`. The same file is in every example (examples/*-login): only
 * site.js, the routes and the sessions, differs between frameworks.
 *
 * An account is the site's own: keyed on its own id, it keeps the holder's name and date of birth,
 * read once from a verified signing certificate (署名用), and the fingerprint of the one
 * authentication certificate (利用者証明用) that logs in to it — a credential, not the key. That
 * certificate is replaced at renewal, reissue or after a loss; the new one then finds no account,
 * and the user links it by one signature with the signing certificate whose name and date of
 * birth match the account's (docs/guide-site-developers.md, "Accounts that survive renewal").
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** How long a verified but unlinked card, or a challenge to sign, stays usable. */
const FIVE_MINUTES = 5 * 60_000;

/**
 * The accounts, in memory (a real site keeps them in its database): by the site's id, by the
 * holder (one account per name and date of birth), and by the authentication certificate that
 * logs in to each.
 */
class Accounts {
  #byId = new Map();
  #byHolder = new Map();
  #byCredential = new Map();

  byCredential(fingerprint) {
    return this.#byId.get(this.#byCredential.get(fingerprint));
  }

  byHolder(holder) {
    return this.#byId.get(this.#byHolder.get(holderKey(holder)));
  }

  create(holder, fingerprint) {
    const account = { id: randomUUID(), name: holder.name, dateOfBirth: holder.dateOfBirth, credential: fingerprint };
    this.#byId.set(account.id, account);
    this.#byHolder.set(holderKey(holder), account.id);
    this.#byCredential.set(fingerprint, account.id);
    return account;
  }

  /** The new card's certificate replaces the old one: a lost card's certificate logs in no more. */
  relink(account, fingerprint) {
    this.#byCredential.delete(account.credential);
    account.credential = fingerprint;
    this.#byCredential.set(fingerprint, account.id);
  }
}

/** Name and date of birth, as the signing certificate writes them: compared exactly. */
const holderKey = (holder) => JSON.stringify([holder.name, holder.dateOfBirth]);

/**
 * What the signing key signs to link a card: a hash no document can have (a label of its own),
 * bound to this site's origin, a fresh random value and the authentication certificate to link.
 */
function linkChallengeHash(origin, credential) {
  return createHash('sha256').update(`jpki-bridge-example/link-card/1\0${origin}\0${credential}\0`).update(randomBytes(32)).digest('base64');
}

const answer = (status, body) => ({ status, body });
const refuse = (status, error) => answer(status, { error });
/** The logged-in answer; `accountId` tells site.js to start a new session for the account. */
const welcome = (account, linked) => ({ ...answer(200, { account: account.id, name: account.name, linked }), accountId: account.id });

/** Reads a session value once: nonces and challenges are single-use. */
function take(session, key) {
  const value = session[key];
  delete session[key];
  return value;
}

/**
 * `verifier` is the site's JpkiVerifier (it trusts the J-LIS roots, or in tests the development
 * CA); `origin` is where browsers reach the site.
 */
export function createLoginFlow({ verifier, origin }) {
  const accounts = new Accounts();

  /** The signing step shared by sign-up and re-linking: the signature over the session's challenge, checked, and the holder it names. */
  async function verifiedHolder(session, body) {
    const challenge = take(session, 'linkChallenge');
    if (!challenge || challenge.until < Date.now()) return { refused: refuse(401, 'NO_LINK_CHALLENGE') };
    // The hash is the session's, never the body's: a signature over anything else fails here.
    const result = await verifier.verifySignature({
      hash: challenge.hash,
      hashFunction: 'SHA-256',
      signature: body?.signature,
      certificate: body?.certificate,
    });
    if (!result.ok) return { refused: refuse(401, result.code) };
    const { name, dateOfBirth } = result.holder;
    if (!name || !dateOfBirth) return { refused: refuse(403, 'HOLDER_UNREADABLE') };
    return { holder: { name, dateOfBirth }, credential: challenge.credential };
  }

  return {
    /** A nonce for the login, kept in this browser's session: the login takes it from there. */
    async loginNonce(session) {
      session.loginNonce = await verifier.issueNonce();
      return answer(200, { nonce: session.loginNonce });
    },

    /** The token from `authenticate(nonce)`: the account its certificate is linked to, or CARD_NOT_LINKED. */
    async login(session, body) {
      // Never from the body: a token made for a nonce issued to another browser does not log this one in.
      const nonce = take(session, 'loginNonce') ?? '';
      const result = await verifier.verifyAuthToken(body?.token, { nonce });
      if (!result.ok) return refuse(401, result.code);
      const credential = result.certificateInfo.fingerprint256;
      const account = accounts.byCredential(credential);
      if (account) return welcome(account, false);
      // A card this site has not seen: a first login, or a renewed card. The verified certificate
      // waits in the session for the signing step that says whose it is.
      session.unlinkedCard = { credential, until: Date.now() + FIVE_MINUTES };
      return refuse(409, 'CARD_NOT_LINKED');
    },

    /** The hash the page signs with `sign([hash], 'SHA-256')`, after a login answered CARD_NOT_LINKED. */
    linkChallenge(session) {
      const card = take(session, 'unlinkedCard');
      if (!card || card.until < Date.now()) return refuse(401, 'NO_UNLINKED_CARD');
      session.linkChallenge = { hash: linkChallengeHash(origin, card.credential), credential: card.credential, until: Date.now() + FIVE_MINUTES };
      return answer(200, { hash: session.linkChallenge.hash });
    },

    /** Sign-up: a new account for the signing certificate's holder, linked to the card that logged in. */
    async createAccount(session, body) {
      const { refused, holder, credential } = await verifiedHolder(session, body);
      if (refused) return refused;
      // One account per person: a renewed card links to the account it had.
      if (accounts.byHolder(holder)) return refuse(409, 'ACCOUNT_EXISTS');
      return welcome(accounts.create(holder, credential), true);
    },

    /** Re-linking: the account whose name and date of birth the signing certificate carries gets the new card. */
    async linkCard(session, body) {
      const { refused, holder, credential } = await verifiedHolder(session, body);
      if (refused) return refused;
      const account = accounts.byHolder(holder);
      // A changed name (marriage) lands here too: the site's own recovery takes over.
      if (!account) return refuse(403, 'NO_ACCOUNT_FOR_HOLDER');
      accounts.relink(account, credential);
      // A real site tells the account holder now, through a channel of its own (e-mail): a signature
      // can be relayed from another site where the holder signs (the guide, "Accounts that survive renewal").
      return welcome(account, true);
    },
  };
}
