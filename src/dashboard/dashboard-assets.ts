import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface DashboardAsset {
  body: Buffer;
  gzipped: Buffer;
  contentType: string;
  etag: string;
}

/** The page's own files, next to this module in src/ (the build copies them beside the compiled code in dist/). */
const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'i18n.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

export function findPublicDir(): string {
  const candidates = [join(__dirname, 'public'), resolve(__dirname, '../../../src/dashboard/public'), resolve(process.cwd(), 'src/dashboard/public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`dashboard: page files not found (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

/** Chart.js's UMD bundle from node_modules (the package exports only its module builds, so go via its main file). */
export function chartJsPath(): string {
  return join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

function asset(body: Buffer, contentType: string): DashboardAsset {
  return { body, gzipped: gzipSync(body), contentType, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

/**
 * Every file the page needs, read and compressed once at start: the page is a few hundred
 * kilobytes at most, and serving from memory keeps it fast and independent of the working directory.
 * index.html refers to the scripts with their content hash so that browsers may cache them.
 */
@Injectable()
export class DashboardAssets {
  private readonly assets = new Map<string, DashboardAsset>();

  constructor() {
    const dir = findPublicDir();
    for (const [name, type] of Object.entries(PAGE_FILES)) {
      if (name !== 'index.html') this.assets.set(name, asset(readFileSync(join(dir, name)), type));
    }
    this.assets.set('chart.umd.min.js', asset(readFileSync(chartJsPath()), 'text/javascript; charset=utf-8'));
    const html = readFileSync(join(dir, 'index.html'), 'utf8').replace(/\{\{v:([\w.-]+)\}\}/g, (_, name: string) => {
      const a = this.assets.get(name);
      if (!a) throw new Error(`dashboard: index.html refers to unknown asset ${name}`);
      return a.etag.slice(1, 9);
    });
    this.assets.set('index.html', asset(Buffer.from(html, 'utf8'), PAGE_FILES['index.html']));
  }

  get(name: string): DashboardAsset | undefined {
    return this.assets.get(name);
  }
}
