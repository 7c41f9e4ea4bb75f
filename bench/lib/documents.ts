/**
 * Documents and attachments measurements (issue 16), against a running app:
 * - the agreement PDF's time (target: under 200 ms);
 * - a 20 MB upload and download, and how far the app's resident memory rises meanwhile (target: under 50 MB);
 * - the .xlsx export of the newest 100,000 cases against the CSV export of the same rows: rows per
 *   second of each and their ratio; the app's memory rise during the .xlsx export read by a fast
 *   client and by a slow one (half the fast one's rate): flat, as it is streamed with backpressure.
 *
 * `measureDocuments` is what `npm run bench` calls; `node dist/bench/lib/documents.js --url U --pid P --token T --database-url D`
 * runs it alone against an app that is already up (`--parts export` for the exports only; pdf, upload, export).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { describeCheckpoint, memoryCheckpoint, MemoryCheckpoint } from './processes';

export interface DocumentsBenchResult {
  agreementPdfMs: { median: number; p95: number; runs: number } | null;
  upload20Mb: { uploadMs: number; downloadMs: number; rssRiseMb: number; sha256Matches: boolean } | null;
  /** The app's memory after each part (where it rises). */
  memory: MemoryCheckpoint[];
  export: {
    rows: number;
    csvMs: number;
    xlsxMs: number;
    csvRowsPerSec: number;
    xlsxRowsPerSec: number;
    xlsxToCsvRatio: number;
    xlsxMb: number;
    /** RSS rise of a first, tiny .xlsx export (exceljs loads with it), before the measured ones. */
    xlsxFirstUseRiseMb: number;
    xlsxRssRiseMb: number;
    slowClient: { mbPerSec: number; xlsxMs: number; rssRiseMb: number };
  } | null;
  targets: Array<{ what: string; limit: string; value: number; unit: string; pass: boolean }>;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Samples the app's RSS every 10 ms while `work` runs; returns the highest rise over the RSS before it. */
async function rssRiseDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; riseMb: number }> {
  const before = rssMb(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 10);
  try {
    const result = await work();
    peak = Math.max(peak, rssMb(pid));
    return { result, riseMb: Math.round((peak - before) * 10) / 10 };
  } finally {
    clearInterval(timer);
  }
}

/** Reads the body to its end; with `mbPerSec`, no faster than that (a client on a slow line: the app must wait for it). */
async function drain(res: Response, mbPerSec?: number): Promise<number> {
  let bytes = 0;
  const started = performance.now();
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.length;
    if (mbPerSec) {
      const aheadMs = (bytes / (mbPerSec * 1e6)) * 1000 - (performance.now() - started);
      if (aheadMs > 0) await new Promise((r) => setTimeout(r, aheadMs));
    }
  }
}

/** Cases in the .xlsx/CSV comparison: 100,000, a load the union's yearly ledger of a district reaches. */
export const EXPORT_COMPARISON_ROWS = 100_000;

/**
 * The list filter (query parameters) of the newest `rows` cases, and how many cases it holds: every
 * case received at or after the `rows`-th newest one's time (a few more where several share it).
 */
export async function newestCasesFilter(db: Client, rows: number): Promise<{ query: Record<string, string>; rows: number }> {
  const [edge] = (await db.query(`SELECT received_at FROM cases ORDER BY received_at DESC OFFSET $1 LIMIT 1`, [rows - 1])).rows as Array<{ received_at: Date }>;
  if (!edge) {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM cases`)).rows as Array<{ n: number }>;
    return { query: {}, rows: n };
  }
  // The app's filter takes the instant to the millisecond (the database keeps microseconds): counted as it will read it.
  const receivedFrom = edge.received_at.toISOString();
  const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM cases WHERE received_at >= $1::timestamptz`, [receivedFrom])).rows as Array<{ n: number }>;
  return { query: { receivedFrom }, rows: n };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export const DOCUMENT_PARTS = ['pdf', 'upload', 'export'] as const;
export type DocumentPart = (typeof DOCUMENT_PARTS)[number];

export async function measureDocuments(
  app: { url: string; pid: number },
  token: string,
  db: Client,
  log: (line: string) => void,
  parts: readonly DocumentPart[] = DOCUMENT_PARTS,
): Promise<DocumentsBenchResult> {
  const auth = { Authorization: `Bearer ${token}` };
  const result: DocumentsBenchResult = { agreementPdfMs: null, upload20Mb: null, export: null, memory: [], targets: [] };
  const checkpoint = async (after: string) => {
    const point = await memoryCheckpoint(app, after);
    result.memory.push(point);
    log(describeCheckpoint(point));
  };

  // Twenty different cases' agreements (their parties, amounts and terms differ, and so do their fonts'
  // subsets): a document downloaded again would be cheaper than one made for the first time.
  const agreed = (await db.query(`SELECT case_id FROM agreements WHERE superseded_at IS NULL ORDER BY created_at DESC LIMIT 23`)).rows as Array<{ case_id: string }>;
  if (agreed.length && parts.includes('pdf')) {
    const urlOf = (i: number) => `${app.url}/api/v1/cases/${agreed[i % agreed.length].case_id}/documents/agreement.pdf`;
    for (let i = 0; i < 3; i++) await drain(await fetch(urlOf(agreed.length - 1 - i), { headers: auth })); // fonts parsed, code warm
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const url = urlOf(i);
      const started = performance.now();
      const res = await fetch(url, { headers: auth });
      if (!res.ok) throw new Error(`agreement.pdf: ${res.status}`);
      await drain(res);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    result.agreementPdfMs = { median: Math.round(percentile(times, 50)), p95: Math.round(percentile(times, 95)), runs: times.length };
    result.targets.push({ what: 'agreement PDF (median)', limit: '< 200 ms', value: result.agreementPdfMs.median, unit: 'ms', pass: result.agreementPdfMs.median < 200 });
    log(`agreement.pdf: median ${result.agreementPdfMs.median} ms, p95 ${result.agreementPdfMs.p95} ms`);
    await checkpoint('the agreement PDFs');
  }

  const [anyCase] = (await db.query(`SELECT id FROM cases ORDER BY received_at DESC LIMIT 1`)).rows;
  if (anyCase && parts.includes('upload')) {
    const content = randomBytes(20 * 1024 * 1024);
    Buffer.from('%PDF-1.7\n').copy(content);
    const form = new FormData();
    form.set('kind', 'evidence');
    form.set('file', new Blob([content]), 'bench-20mb.pdf');
    const up = await rssRiseDuring(app.pid, async () => {
      const started = performance.now();
      const res = await fetch(`${app.url}/api/v1/cases/${anyCase.id}/attachments`, { method: 'POST', headers: auth, body: form });
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { id: string; sha256: string };
      return { ms: performance.now() - started, ...body };
    });
    const down = await rssRiseDuring(app.pid, async () => {
      const started = performance.now();
      const res = await fetch(`${app.url}/api/v1/attachments/${up.result.id}`, { headers: auth });
      const bytes = await drain(res);
      if (bytes !== content.length) throw new Error(`download: ${bytes} bytes`);
      return { ms: performance.now() - started, sha256: res.headers.get('x-content-sha256') };
    });
    const rise = Math.max(up.riseMb, down.riseMb);
    result.upload20Mb = { uploadMs: Math.round(up.result.ms), downloadMs: Math.round(down.result.ms), rssRiseMb: rise, sha256Matches: down.result.sha256 === up.result.sha256 };
    result.targets.push({ what: '20 MB upload + download, app memory rise', limit: '< 50 MB', value: rise, unit: 'MB', pass: rise < 50 });
    log(`20 MB attachment: upload ${result.upload20Mb.uploadMs} ms, download ${result.upload20Mb.downloadMs} ms, RSS rise ${rise} MB`);
    // Attachments are never deleted by the app; the bench removes its own file.
    await db.query(`DELETE FROM attachments WHERE id = $1`, [up.result.id]);
    await checkpoint('the 20 MB attachment');
  }

  const newest = parts.includes('export') ? await newestCasesFilter(db, EXPORT_COMPARISON_ROWS) : { query: {}, rows: 0 };
  if (newest.rows > 0) {
    const rows = newest.rows;
    const exportUrl = (format: 'csv' | 'xlsx', query: Record<string, string>) => `${app.url}/api/v1/cases/export.${format}?${new URLSearchParams(query)}`;
    const timed = async (format: 'csv' | 'xlsx', query: Record<string, string>, mbPerSec?: number) => {
      const started = performance.now();
      const res = await fetch(exportUrl(format, query), { headers: auth });
      if (!res.ok) throw new Error(`export.${format}: ${res.status}`);
      const bytes = await drain(res, mbPerSec);
      return { ms: performance.now() - started, bytes };
    };
    // A first export loads exceljs: its memory is a module's, not the stream's, and is reported apart.
    const firstUse = await rssRiseDuring(app.pid, () => timed('xlsx', { receivedFrom: new Date().toISOString() }));
    await checkpoint('the first .xlsx export (exceljs loaded)');
    const csv = await timed('csv', newest.query);
    const fast = await rssRiseDuring(app.pid, () => timed('xlsx', newest.query));
    const slowMbPerSec = Math.round((fast.result.bytes / 1e6 / (fast.result.ms / 1000) / 2) * 100) / 100;
    const slow = await rssRiseDuring(app.pid, () => timed('xlsx', newest.query, slowMbPerSec));
    await checkpoint(`the .xlsx exports of ${rows} cases`);
    result.export = {
      rows,
      csvMs: Math.round(csv.ms),
      xlsxMs: Math.round(fast.result.ms),
      csvRowsPerSec: Math.round(rows / (csv.ms / 1000)),
      xlsxRowsPerSec: Math.round(rows / (fast.result.ms / 1000)),
      xlsxToCsvRatio: Math.round((csv.ms / fast.result.ms) * 100) / 100,
      xlsxMb: Math.round(fast.result.bytes / 1e5) / 10,
      xlsxFirstUseRiseMb: firstUse.riseMb,
      xlsxRssRiseMb: fast.riseMb,
      slowClient: { mbPerSec: slowMbPerSec, xlsxMs: Math.round(slow.result.ms), rssRiseMb: slow.riseMb },
    };
    const e = result.export;
    result.targets.push({ what: `.xlsx export of ${rows} cases, fast client, app memory rise`, limit: '< 50 MB', value: fast.riseMb, unit: 'MB', pass: fast.riseMb < 50 });
    result.targets.push({ what: `.xlsx export of ${rows} cases, slow client (${slowMbPerSec} MB/s), app memory rise`, limit: '< 50 MB', value: slow.riseMb, unit: 'MB', pass: slow.riseMb < 50 });
    log(
      `export of ${rows} cases: CSV ${e.csvRowsPerSec} rows/s, xlsx ${e.xlsxRowsPerSec} rows/s (${e.xlsxMb} MB; ratio ${e.xlsxToCsvRatio}); ` +
        `xlsx RSS rise ${e.xlsxRssRiseMb} MB read fast, ${e.slowClient.rssRiseMb} MB read at ${slowMbPerSec} MB/s (${e.slowClient.xlsxMs} ms); first .xlsx (exceljs loading) ${e.xlsxFirstUseRiseMb} MB`,
    );
  }
  return result;
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
    return process.argv[i + 1];
  };
  void (async () => {
    const db = new Client({ connectionString: arg('database-url') });
    await db.connect();
    try {
      const parts = process.argv.includes('--parts') ? (arg('parts').split(',') as DocumentPart[]) : DOCUMENT_PARTS;
      const result = await measureDocuments({ url: arg('url'), pid: Number(arg('pid')) }, arg('token'), db, (l) => console.log(l), parts);
      console.log(JSON.stringify(result, null, 2));
    } finally {
      await db.end();
    }
  })();
}

/**
 * `npm run bench`'s documents figures, printed with PASS/FAIL: the agreement PDF's median, the 20 MB
 * upload's memory rise, the .xlsx export's rate as a ratio of the CSV's and its memory rise. True when
 * every target passed (or `only` leaves the documents out).
 */
export async function reportDocuments(app: { url: string; pid: number }, token: string, db: Client, only: string[] | null, log: (line: string) => void): Promise<boolean> {
  if (only && !only.includes('documents')) return true;
  log('documents: agreement PDF, 20 MB attachment, .xlsx against CSV export');
  const result = await measureDocuments(app, token, db, (l) => log(`  ${l}`));
  for (const t of result.targets) log(`  ${t.pass ? 'PASS' : 'FAIL'} ${t.what}: ${t.value} ${t.unit} (target ${t.limit})`);
  if (result.export) log(`  .xlsx export rate / CSV export rate: ${result.export.xlsxToCsvRatio} (${result.export.xlsxRowsPerSec} / ${result.export.csvRowsPerSec} rows/s)`);
  return result.targets.every((t) => t.pass);
}
