import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The web application's first page: the JavaScript index.html loads before anything else (its
 * entry script and the modules it preloads), gzipped as the app serves it. Other views load when opened.
 */
export function firstPageJs(webDist: string): { files: number; bytes: number; gzippedBytes: number } | null {
  const index = join(webDist, 'index.html');
  if (!existsSync(index)) return null;
  const html = readFileSync(index, 'utf8');
  const paths = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
  let bytes = 0;
  let gzippedBytes = 0;
  for (const p of paths) {
    const body = readFileSync(join(webDist, p));
    bytes += body.length;
    gzippedBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files: paths.length, bytes, gzippedBytes };
}
