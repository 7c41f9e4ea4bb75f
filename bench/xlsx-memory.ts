/**
 * The .xlsx ledger writer's memory, in this process: `rows` generated export rows (in the export's
 * growing batches) written to a sink read fast (every chunk taken at once) or slowly (`--slow-mbps`
 * megabytes a second, as a client on a slow line), sampling RSS and heap every 20 ms; then the heap
 * used after a full GC. Run with --expose-gc:
 *
 *   node --expose-gc --max-old-space-size=192 dist/bench/xlsx-memory.js --rows 100000 [--slow-mbps 2] [--writer path/to/case-export-xlsx.js]
 *
 * `--writer` takes another build of src/stats/case-export-xlsx.ts (e.g. main's dist) to compare.
 */
import { Writable } from 'node:stream';
import type { ExportRow } from '../src/stats/case-export.service';

type WriteLedger = (out: Writable, batches: AsyncIterable<ExportRow[]>) => Promise<void>;

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

function row(i: number): ExportRow {
  const day = String(1 + (i % 28)).padStart(2, '0');
  return {
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    case_number: `WS01-2026-${String(i).padStart(6, '0')}`,
    workstation_name: '江岸区劳动争议调解工作室',
    source: 'walk_in' as ExportRow['source'],
    court_case_number: i % 5 === 0 ? `（2026）鄂0102民诉前调${i}号` : null,
    dispute_type: 'wage_arrears' as ExportRow['dispute_type'],
    status: 'concluded_agreed' as ExportRow['status'],
    applicant_name: `申请人${i % 997}`,
    applicant_id_number: '420102199001011234',
    respondent_name: `武汉某某建设工程有限公司${i % 311}`,
    respondent_credit_code: '914201001234567890',
    worker_count: 1 + (i % 7),
    claim_amount: `${(i % 100000) + 0.5}`,
    mediator_name: `调解员${i % 200}`,
    received_at: `2026-03-${day} 09:30`,
    deadline_date: `2026-04-${day}`,
    overdue: i % 13 === 0,
    concluded_at: `2026-03-${day} 16:00`,
    agreed_amount: i % 3 ? `${(i % 50000) + 0.25}` : null,
    confirmation_status: i % 4 ? 'confirmed' : null,
    ruling_number: i % 4 ? `（2026）鄂0102民特${i}号` : null,
    summary: `申请人于2025年入职被申请人处从事施工工作，被申请人拖欠工资共计${i % 90000}元，经多次催要未果，申请调解。`,
  };
}

async function* batches(rows: number): AsyncGenerator<ExportRow[]> {
  let next = 0;
  for (let size = 500; next < rows; size = Math.min(size * 2, 2000)) {
    const batch: ExportRow[] = [];
    for (; batch.length < size && next < rows; next++) batch.push(row(next));
    await new Promise((r) => setImmediate(r)); // a database round trip
    yield batch;
  }
}

/** Takes every chunk at once (fast), or at `mbps` MB/s (slow: a chunk is acknowledged when its time has come). */
function sink(mbps: number | null): Writable & { bytes: number } {
  const started = Date.now();
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, done) {
      out.bytes += chunk.length;
      if (mbps === null) return done();
      const dueMs = (out.bytes / (mbps * 1e6)) * 1000;
      setTimeout(done, Math.max(0, started + dueMs - Date.now()));
    },
  }) as Writable & { bytes: number };
  out.bytes = 0;
  return out;
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const rows = Number(arg('rows') ?? 100_000);
  const slow = arg('slow-mbps');
  const writerPath = arg('writer') ?? '../src/stats/case-export-xlsx';
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const { writeCaseLedgerXlsx } = (await import(writerPath)) as { writeCaseLedgerXlsx: WriteLedger };
  // Warm up the writer's code and exceljs's modules, then measure from a collected heap.
  await writeCaseLedgerXlsx(sink(null), batches(2000));
  gc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let peakExternal = before.external + before.arrayBuffers;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
  }, 20);
  const out = sink(slow ? Number(slow) : null);
  const t0 = performance.now();
  await writeCaseLedgerXlsx(out, batches(rows));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const end = process.memoryUsage();
  gc();
  const after = process.memoryUsage();
  console.log(
    JSON.stringify({
      writer: arg('writer') ? writerPath : 'this branch',
      rows,
      client: slow ? `slow ${slow} MB/s` : 'fast',
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSec: Math.round(rows / seconds),
      xlsxMb: mb(out.bytes),
      rssBeforeMb: mb(before.rss),
      rssRiseMb: mb(Math.max(peakRss, end.rss) - before.rss),
      heapUsedBeforeMb: mb(before.heapUsed),
      heapUsedPeakMb: mb(Math.max(peakHeap, end.heapUsed)),
      externalPeakMb: mb(peakExternal),
      heapUsedAfterGcMb: mb(after.heapUsed),
    }),
  );
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
