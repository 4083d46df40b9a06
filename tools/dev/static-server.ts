/**
 * A localhost http server for pages that use the page library: files under `root`, plus
 * `/jpki-bridge.js` (the built page library). `http://localhost:PORT` is a
 * secure context and an origin the content script serves. Also the one table of content types
 * for every server the developer tools and the demo run.
 *
 *   const server = await serveStatic({ root: 'test/e2e/fixtures' });   // server.url
 *   await server.close();
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
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

export interface StaticServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

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
}): Promise<StaticServer> {
  ensureBuilt(['page-library']);
  const root = normalize(options.root);
  const server = createServer(async (req, res) => {
    try {
      const file = fileFor(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (file === null) throw new Error('outside root');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': contentTypeOf(file), 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the browser keeps connections alive; do not wait for it
      }),
  };
}
