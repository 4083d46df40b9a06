/**
 * A localhost http server for pages that use the page library: files under `root`, plus
 * `/jpki-bridge.js` (the built page library). `http://localhost:PORT` is a
 * secure context and an origin the content script serves. Also the one table of content types
 * for every server the developer tools and the demo run. Every request's path and headers are
 * kept (`requests`), so a test can see what the browser sent; with `tls` it serves https (for a
 * real site's name mapped onto it, see tls-certificate.ts and ChromiumOptions.aliases).
 *
 *   const server = await serveStatic({ root: 'test/e2e/fixtures' });   // server.url
 *   await server.close();
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { extname, join, normalize } from 'node:path';
import { ensureBuilt, PAGE_LIBRARY } from './checkout.ts';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
} as const;

/** The Content-Type for a file by its extension. */
export function contentTypeOf(file: string): string {
  return (CONTENT_TYPES as Record<string, string>)[extname(file)] ?? 'application/octet-stream';
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface StaticServer {
  url: string;
  port: number;
  server: Server;
  /** The requests served so far, oldest first (the last REQUESTS_KEPT). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const REQUESTS_KEPT = 500;

/** The file a request path names: the page library (and its source map), or one under `root`, never outside it. */
function fileFor(root: string, path: string): string | null {
  if (path === '/jpki-bridge.js') return PAGE_LIBRARY;
  if (path === '/jpki-bridge.js.map') return `${PAGE_LIBRARY}.map`;
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  return file.startsWith(root) ? file : null;
}

/** Listens on a free port. */
export async function serveStatic(options: {
  root: string;
  /** Listen address; the URL says `localhost` for 127.0.0.1, else the address itself. */
  host?: string;
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}): Promise<StaticServer> {
  ensureBuilt(['page-library']);
  const root = normalize(options.root);
  const requests: RecordedRequest[] = [];
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ path: req.url ?? '/', headers: req.headers });
    if (requests.length > REQUESTS_KEPT) requests.shift();
    try {
      const file = fileFor(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (file === null) throw new Error('outside root');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': contentTypeOf(file), 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host === '127.0.0.1' ? 'localhost' : host}:${port}`,
    port,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the browser keeps connections alive; do not wait for it
      }),
  };
}
