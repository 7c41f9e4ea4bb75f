/**
 * Documents and attachments measurements (issue 16), against a running app:
 * - the agreement PDF's time (target: under 200 ms);
 * - a 20 MB upload and download, and how far the app's resident memory rises meanwhile (target: under 50 MB);
 * - the .xlsx export of one workstation's cases against the CSV export of the same rows: rows per
 *   second of each, their ratio, and the app's memory rise during the .xlsx export (flat: streamed).
 *
 * `measureDocuments` is what `npm run bench` calls; `node dist/bench/lib/documents.js --url U --pid P --token T --database-url D`
 * runs it alone against an app that is already up.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

export interface DocumentsBenchResult {
  agreementPdfMs: { median: number; p95: number; runs: number } | null;
  upload20Mb: { uploadMs: number; downloadMs: number; rssRiseMb: number; sha256Matches: boolean } | null;
  export: { rows: number; csvMs: number; xlsxMs: number; csvRowsPerSec: number; xlsxRowsPerSec: number; xlsxToCsvRatio: number; xlsxRssRiseMb: number } | null;
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

async function drain(res: Response): Promise<number> {
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.length;
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function measureDocuments(app: { url: string; pid: number }, token: string, db: Client, log: (line: string) => void): Promise<DocumentsBenchResult> {
  const auth = { Authorization: `Bearer ${token}` };
  const result: DocumentsBenchResult = { agreementPdfMs: null, upload20Mb: null, export: null, targets: [] };

  // Twenty different cases' agreements (their parties, amounts and terms differ, and so do their fonts'
  // subsets): a document downloaded again would be cheaper than one made for the first time.
  const agreed = (await db.query(`SELECT case_id FROM agreements WHERE superseded_at IS NULL ORDER BY created_at DESC LIMIT 23`)).rows as Array<{ case_id: string }>;
  if (agreed.length) {
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
  }

  const [anyCase] = (await db.query(`SELECT id FROM cases ORDER BY received_at DESC LIMIT 1`)).rows;
  if (anyCase) {
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
  }

  // About 100,000 cases: all of them when there are no more than 150,000, else the workstation whose
  // count is nearest 100,000 (the whole ledger of 1,000,000 would take minutes, twice).
  const [{ total }] = (await db.query(`SELECT count(*)::int AS total FROM cases`)).rows;
  const [ws] =
    total <= 150_000
      ? [{ workstation_id: null, n: total }]
      : (await db.query(`SELECT workstation_id, count(*)::int AS n FROM cases GROUP BY workstation_id ORDER BY abs(count(*) - 100000) LIMIT 1`)).rows;
  if (ws && ws.n > 0) {
    const query = ws.workstation_id ? `workstationId=${ws.workstation_id}` : '';
    const timed = async (format: 'csv' | 'xlsx') => {
      const started = performance.now();
      const res = await fetch(`${app.url}/api/v1/cases/export.${format}?${query}`, { headers: auth });
      if (!res.ok) throw new Error(`export.${format}: ${res.status}`);
      await drain(res);
      return performance.now() - started;
    };
    const csvMs = await timed('csv');
    const xlsx = await rssRiseDuring(app.pid, () => timed('xlsx'));
    const rows: number = ws.n;
    result.export = {
      rows,
      csvMs: Math.round(csvMs),
      xlsxMs: Math.round(xlsx.result),
      csvRowsPerSec: Math.round(rows / (csvMs / 1000)),
      xlsxRowsPerSec: Math.round(rows / (xlsx.result / 1000)),
      xlsxToCsvRatio: Math.round((csvMs / xlsx.result) * 100) / 100,
      xlsxRssRiseMb: xlsx.riseMb,
    };
    result.targets.push({ what: `.xlsx export of ${rows} cases, app memory rise`, limit: '< 50 MB', value: xlsx.riseMb, unit: 'MB', pass: xlsx.riseMb < 50 });
    log(`export of ${rows} cases: CSV ${result.export.csvRowsPerSec} rows/s, xlsx ${result.export.xlsxRowsPerSec} rows/s (ratio ${result.export.xlsxToCsvRatio}), xlsx RSS rise ${xlsx.riseMb} MB`);
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
      const result = await measureDocuments({ url: arg('url'), pid: Number(arg('pid')) }, arg('token'), db, (l) => console.log(l));
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
