/**
 * The demo sites, one Node http server on localhost (no framework):
 *   /login  a Mynaportal-like login: `jpki:authenticate` (origin-bound token) or the
 *           portal-compatible `launchApp` mode 01 (DigestInfo from the server; the answer's
 *           uuid and combination code are kept with the login)
 *   /etax   an e-Tax-like filing: the filer's name and address from the card face (`launchApp`
 *           mode 04), form → XML (e-Tax's DATA layout) → prepareDetachedXmlSignature →
 *           `jpki:sign` → a detached XMLDSig beside the return
 *   /pdf    "PDF に電子署名": upload a PDF, preparePdfSignature → `jpki:sign` (one PIN dialog) →
 *           completeDocumentSignature, the signed PDF to download and its signer
 * Every verdict is the server's (JpkiVerifier); the pages only carry values back and forth.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_LIBRARY } from '../tools/dev/checkout.ts';
import { CONTENT_TYPES, contentTypeOf } from '../tools/dev/static-server.ts';
import {
  completeDocumentSignature,
  completeXmlSignature,
  prepareDetachedXmlSignature,
  preparePdfSignature,
  VerificationError,
  verifyDetachedXmlSignature,
  XmlSignatureError,
  type JpkiVerifier,
  type AuthResult,
} from '@jpki-bridge/relying-party';
import { buildTaxFilingXml, TaxReturnError, validateTaxReturn } from './etax-document.ts';
import { renderWelcome } from './welcome-page.ts';
import { type PortalIdentity, SessionStore, type Session } from './sessions.ts';

const PUBLIC = fileURLToPath(new URL('public', import.meta.url));
const STATIC: Record<string, string> = {
  '/': 'index.html',
  '/login': 'login.html',
  '/etax': 'etax.html',
  '/pdf': 'pdf.html',
  '/pdf.js': 'pdf.js',
  '/demo.css': 'demo.css',
  '/login.js': 'login.js',
  '/etax.js': 'etax.js',
  '/api.js': 'api.js',
};
const MAX_BODY = 64 * 1024;
/** An uploaded PDF: a form of a few pages, not a scanned book. */
const MAX_PDF = 5 * 1024 * 1024;

export interface DemoServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  /** Made once the server listens: the verifier is bound to the origin the port decides. */
  createVerifier: (origin: string) => Promise<JpkiVerifier>;
  port: number;
  /** Log verdicts (for `npm run demo`); never logs tokens, signatures or personal data. */
  log?: (line: string) => void;
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const sessions = new SessionStore();
  const log = options.log ?? (() => {});
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  // localhost, not 127.0.0.1: the origin the verifier expects must be the one the browser sends.
  const url = `http://localhost:${port}`;
  let verifier: JpkiVerifier;
  try {
    verifier = await options.createVerifier(url);
  } catch (error) {
    server.close();
    throw error;
  }

  const api: Record<string, (session: Session, body: Record<string, unknown>) => Promise<[number, unknown]>> = {
    // --- login: jpki:authenticate ---------------------------------------------------------
    async 'POST /api/auth/nonce'(session) {
      session.authNonce = await verifier.issueNonce();
      return [200, { nonce: session.authNonce }];
    },
    async 'POST /api/auth/login'(session, body) {
      const nonce = session.authNonce;
      session.authNonce = undefined; // one attempt per challenge, whatever the outcome
      const result = await verifier.verifyAuthToken(body.token, { nonce: nonce ?? '' });
      return loggedIn(session, 'jpki:authenticate', result);
    },
    // --- login: portal-compatible launchApp mode 01 --------------------------------------
    async 'POST /api/portal/challenge'(session) {
      const challenge = await verifier.issueUnboundPortalChallenge();
      session.portalNonce = challenge.nonce;
      return [200, { digest: challenge.digestInfo }];
    },
    async 'POST /api/portal/login'(session, body) {
      const nonce = session.portalNonce;
      session.portalNonce = undefined;
      const result = await verifier.verifyUnboundPortalLogin({
        nonce: nonce ?? '',
        signature: typeof body.signature === 'string' ? body.signature : '',
        certificate: typeof body.certificate === 'string' ? body.certificate : '',
      });
      const identity = portalIdentity(body);
      if (result.ok && !identity) return [400, { ok: false, code: 'BAD_INPUT', message: 'the answer lacks a uuid or combination_code' }];
      return loggedIn(session, 'launchApp', result, identity);
    },
    // --- e-Tax-like filing ---------------------------------------------------------------
    async 'POST /api/etax/prepare'(session, body) {
      const input = validateTaxReturn(body);
      const id = randomUUID();
      // e-Tax's layout: the return inside DATA, a sibling Signature referencing it by id (docs/xml-signature.md).
      const filingXml = buildTaxFilingXml(input, id, new Date());
      const prepared = prepareDetachedXmlSignature(filingXml.xml, filingXml.elementId);
      session.filings.set(id, { prepared, ...(input.filer ? { filer: input.filer } : {}) });
      return [200, { id, hash: prepared.hash, hashFunction: prepared.hashFunction }];
    },
    async 'POST /api/etax/complete'(session, body) {
      const filing = typeof body.id === 'string' ? session.filings.get(body.id) : undefined;
      if (!filing || filing.signedXml) return [404, { ok: false, code: 'UNKNOWN_FILING', message: 'no such filing in progress' }];
      const signature = typeof body.signature === 'string' ? body.signature : '';
      const certificate = typeof body.certificate === 'string' ? body.certificate : '';
      // The certificate's trust and kind (signing, not authentication) and the holder's data…
      const verdict = await verifier.verifySignature({
        hash: filing.prepared.hash,
        hashFunction: 'SHA-256',
        signature,
        certificate,
      });
      log(`e-Tax filing: ${verdict.ok ? 'signature verified' : `REJECTED ${verdict.code}`}`);
      if (!verdict.ok) return [400, verdict];
      // …then the XMLDSig itself, assembled and checked again with xml-crypto.
      const signedXml = completeXmlSignature(filing.prepared, signature, certificate);
      const check = verifyDetachedXmlSignature(signedXml);
      if (!check.valid) return [400, { ok: false, code: 'SIGNATURE_INVALID', message: 'the XML signature does not verify' }];
      filing.signedXml = signedXml;
      filing.holder = verdict.holder;
      return [
        200,
        {
          ok: true,
          holder: verdict.holder,
          filer: filing.filer ?? null,
          certificate: { subject: verdict.subject, serial: verdict.serial, notAfter: verdict.notAfter, issuer: verdict.certificateInfo.issuer },
          revocation: verdict.revocation,
          download: `/api/etax/${String(body.id)}.xml`,
          xml: signedXml,
        },
      ];
    },
  };

  /** The PDF page's second step (its first, the upload, is not JSON: handle() below). */
  api['POST /api/pdf/complete'] = async (session, body) => {
    const signing = typeof body.id === 'string' ? session.pdfs.get(body.id) : undefined;
    if (!signing || signing.signedPdf) return [404, { ok: false, code: 'UNKNOWN_DOCUMENT', message: 'no such PDF being signed' }];
    const done = await completeDocumentSignature(verifier, signing.prepared, body.signature as string, body.certificate as string);
    log(`PDF signing: ${done.ok ? 'signature verified' : `REJECTED ${done.code}`}`);
    if (!done.ok) return [400, done];
    signing.signedPdf = done.document;
    const { holder, certificateInfo } = done.result;
    return [
      200,
      {
        ok: true,
        holder,
        certificate: { subject: certificateInfo.subject, issuer: certificateInfo.issuer, notAfter: certificateInfo.notAfter },
        signingTime: done.result.signingTime,
        download: `/api/pdf/${String(body.id)}.pdf`,
      },
    ];
  };

  async function preparePdfUpload(session: Session, request: IncomingMessage, url: URL): Promise<[number, unknown]> {
    const pdf = await readBytes(request, MAX_PDF);
    const name = (url.searchParams.get('name') ?? 'document.pdf').replace(/[^\w.-]/g, '_').slice(0, 80);
    const prepared = preparePdfSignature(pdf, { reason: 'jpki-bridge デモ / demo', location: 'Japan' });
    const id = randomUUID();
    session.pdfs.set(id, { name, prepared });
    return [200, { id, hash: prepared.hash, hashFunction: prepared.hashFunction }];
  }

  function loggedIn(session: Session, via: 'jpki:authenticate' | 'launchApp', result: AuthResult, portal?: PortalIdentity): [number, unknown] {
    log(`login via ${via}: ${result.ok ? `OK (${result.subject})` : `REJECTED ${result.code}`}`);
    if (!result.ok) return [401, result];
    session.login = { via, result, at: new Date(), ...(portal ? { portal } : {}) };
    return [200, { ok: true, redirect: '/welcome' }];
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const session = sessions.get(request, response);
    response.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'");
    response.setHeader('X-Content-Type-Options', 'nosniff');

    if (request.method === 'GET' && url.pathname === '/jpki-bridge.js') return sendFile(response, PAGE_LIBRARY);
    if (request.method === 'GET' && STATIC[url.pathname]) return sendFile(response, join(PUBLIC, STATIC[url.pathname]!));
    if (request.method === 'GET' && url.pathname === '/welcome') {
      if (!session.login) return redirect(response, '/login');
      return send(response, 200, CONTENT_TYPES['.html'], renderWelcome(session.login));
    }
    if (request.method === 'POST' && url.pathname === '/logout') {
      session.login = undefined;
      return redirect(response, '/login');
    }
    const download = /^\/api\/etax\/([0-9a-f-]{36})\.xml$/.exec(url.pathname);
    if (request.method === 'GET' && download) {
      const xml = session.filings.get(download[1]!)?.signedXml;
      if (!xml) return send(response, 404, 'text/plain', 'not found');
      response.setHeader('Content-Disposition', `attachment; filename="tax-return-${download[1]}.xml"`);
      return send(response, 200, CONTENT_TYPES['.xml'], xml);
    }
    const pdfDownload = /^\/api\/pdf\/([0-9a-f-]{36})\.pdf$/.exec(url.pathname);
    if (request.method === 'GET' && pdfDownload) {
      const signing = session.pdfs.get(pdfDownload[1]!);
      if (!signing?.signedPdf) return send(response, 404, 'text/plain', 'not found');
      response.setHeader('Content-Disposition', `attachment; filename="${signing.name.replace(/(\.pdf)?$/i, '-signed.pdf')}"`);
      return send(response, 200, 'application/pdf', Buffer.from(signing.signedPdf));
    }
    if (request.method === 'POST' && url.pathname === '/api/pdf/prepare') {
      if (request.headers['content-type'] !== 'application/pdf') return sendJson(response, 415, { ok: false, message: 'PDF only' });
      try {
        const [status, payload] = await preparePdfUpload(session, request, url);
        return sendJson(response, status, payload);
      } catch (error) {
        if (!(error instanceof VerificationError) && (error as Error).message !== 'body too large') throw error;
        return sendJson(response, 400, { ok: false, code: 'BAD_INPUT', message: (error as Error).message });
      }
    }
    const route = api[`${request.method} ${url.pathname}`];
    if (!route) return send(response, 404, 'text/plain', 'not found');
    // Same-origin JSON only: a cross-site form cannot post application/json without CORS.
    if (!String(request.headers['content-type']).startsWith('application/json')) {
      return sendJson(response, 415, { ok: false, message: 'JSON only' });
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readBody(request));
      body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return sendJson(response, 400, { ok: false, message: 'bad JSON' });
    }
    try {
      const [status, payload] = await route(session, body);
      sendJson(response, status, payload);
    } catch (error) {
      if (error instanceof TaxReturnError || error instanceof XmlSignatureError) {
        return sendJson(response, 400, { ok: false, code: 'BAD_INPUT', message: error.message });
      }
      throw error;
    }
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      log(`demo server error: ${(error as Error).message}`);
      if (!response.headersSent) sendJson(response, 500, { ok: false, message: 'internal error' });
      else response.end();
    });
  });
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function sendFile(response: ServerResponse, path: string): Promise<void> {
  try {
    const body = await readFile(path);
    send(response, 200, contentTypeOf(path), body);
  } catch {
    send(response, 404, 'text/plain', 'not found');
  }
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, payload: unknown): void {
  send(response, status, CONTENT_TYPES['.json'], JSON.stringify(payload));
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { Location: location });
  response.end();
}

function readBody(request: IncomingMessage): Promise<string> {
  return readBytes(request, MAX_BODY).then((body) => body.toString('utf8'));
}

function readBytes(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The portal answer's uuid (32 hex digits) and combination_code (64), or undefined when either is malformed. */
function portalIdentity(body: Record<string, unknown>): PortalIdentity | undefined {
  const { uuid, combination_code: combinationCode } = body;
  if (typeof uuid !== 'string' || !/^[0-9a-f]{32}$/.test(uuid)) return undefined;
  if (typeof combinationCode !== 'string' || !/^[0-9a-f]{64}$/.test(combinationCode)) return undefined;
  return { uuid, combinationCode };
}
