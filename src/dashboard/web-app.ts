import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The web application (web/, built by Vite into dist/web) served at `/`: its hashed files under
 * /assets/ with a long cache, and index.html for every other page path (history-mode routing),
 * so that a link opened in a new tab (/cases/…) lands on the page it names. API, docs, health,
 * metrics and the queue board are never answered here; the old /dashboard address redirects to `/`.
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Element Plus sets inline style attributes (positions of popovers, widths of columns).
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_THE_PAGE = /^\/(api|docs|docs-json|health|metrics|admin\/queues)(\/|$|\?|-)/;
const OLD_DASHBOARD = /^\/dashboard(\/|$)/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

interface WebFile {
  body: Buffer;
  gzipped: Buffer | null;
  contentType: string;
  etag: string;
}

/** Where the built page is: beside the compiled app (dist/web) or, under jest, the project's dist/web. */
export function findWebDist(): string | null {
  const candidates = [process.env.WEB_DIST, resolve(__dirname, '../../web'), resolve(__dirname, '../../dist/web'), resolve(process.cwd(), 'dist/web')].filter(
    (d): d is string => !!d,
  );
  // The built page has its assets/ beside index.html (web/index.html, the sources' page, has not).
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) ?? null;
}

function readAll(dir: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const body = readFileSync(path);
        const contentType = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
        const compressible = /text|javascript|json|svg/.test(contentType) && body.length > 512;
        files.set('/' + relative(dir, path).split(sep).join('/'), {
          body,
          gzipped: compressible ? gzipSync(body, { level: 9 }) : null,
          contentType,
          etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
        });
      }
    }
  };
  walk(dir);
  return files;
}

function send(req: FastifyRequest, reply: FastifyReply, f: WebFile, cacheControl: string): void {
  reply.header('Cache-Control', cacheControl);
  reply.header('Content-Type', f.contentType);
  reply.header('ETag', f.etag);
  reply.header('Vary', 'Accept-Encoding');
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Content-Security-Policy', WEB_CONTENT_SECURITY_POLICY);
  if (req.headers['if-none-match'] === f.etag) {
    void reply.code(304).send();
    return;
  }
  const gzip = f.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) reply.header('Content-Encoding', 'gzip');
  void reply.code(200).send(req.method === 'HEAD' ? undefined : gzip ? f.gzipped : f.body);
}

/**
 * A Fastify request hook for the page (it answers before any route, and for paths no route
 * matches); read once at start (the built page is a few megabytes at most).
 */
export function webAppHook(dir = findWebDist()): (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  const files = dir ? readAll(dir) : new Map<string, WebFile>();
  return (req, reply, done) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return done();
    const query = req.url.indexOf('?');
    const path = query < 0 ? req.url : req.url.slice(0, query);
    // The old dashboard address, and any page under it, leads to the page.
    if (OLD_DASHBOARD.test(path)) {
      void reply.redirect('/', 301);
      return;
    }
    if (NOT_THE_PAGE.test(path)) return done();
    const file = files.get(path);
    if (file && path !== '/index.html') return send(req, reply, file, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    if (extname(path)) return done(); // a missing file is a 404, not the page
    const index = files.get('/index.html');
    if (!index) {
      void reply.code(503).type('text/plain; charset=utf-8').send('The web application is not built: run npm run build');
      return;
    }
    send(req, reply, index, 'no-cache');
  };
}
