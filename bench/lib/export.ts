/**
 * The `export` measure: the app's CSV export of the whole case list (as admin) against its floor,
 * PostgreSQL's own `COPY (the export's SELECT) TO STDOUT WITH CSV` over the same columns, rows
 * and order, read by a client that only counts the bytes; then the .xlsx export of the newest
 * `xlsxRows` cases for its rate beside the CSV's (rows a second). The app's memory is sampled throughout.
 */
import { Client } from 'pg';
import type { Connection } from 'pg';
import { buildCaseFilter } from '../../src/cases/case-query';
import { exportSelect } from '../../src/stats/case-export.repository';
import { newestCasesFilter } from './documents';
import type { MemorySampler } from './processes';

export interface ExportMeasure {
  rows: number;
  copy: { seconds: number; mb: number; mbPerSec: number; rowsPerSec: number };
  app: { seconds: number; mb: number; mbPerSec: number; rowsPerSec: number; rssBeforeMb: number; rssPeakMb: number };
  /** The app's rows per second ÷ COPY's (the same rows). */
  ratio: number;
  xlsx?: { rows: number; seconds: number; rowsPerSec: number; mb: number; rssBeforeMb: number; rssPeakMb: number; rowsPerSecToCsv: number };
}

/** COPY ... TO STDOUT through pg's submittable interface (what pg-copy-streams does), counting bytes and lines. */
class CopyOutCounter {
  bytes = 0;
  lines = 0;
  private done!: (e?: Error) => void;
  readonly finished = new Promise<void>((resolve, reject) => {
    this.done = (e) => (e ? reject(e) : resolve());
  });
  private error?: Error;

  constructor(private readonly sql: string) {}

  submit(connection: Connection): void {
    connection.query(this.sql);
  }
  handleCopyData(msg: { chunk: Buffer }): void {
    this.bytes += msg.chunk.length;
    for (let i = msg.chunk.indexOf(10); i !== -1; i = msg.chunk.indexOf(10, i + 1)) this.lines++;
  }
  handleCommandComplete(): void {}
  handleError(e: Error): void {
    this.error = e;
  }
  handleReadyForQuery(): void {
    this.done(this.error);
  }
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCopyInResponse(): void {}
}

const ADMIN = { id: '00000000-0000-0000-0000-000000000000', username: 'bench', role: 'admin', workstationId: null } as const;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** COPY of the export's SELECT for an admin with `filter` (the list's query parameters). */
async function copyFloor(databaseUrl: string, filter: Record<string, string>): Promise<{ seconds: number; bytes: number; lines: number }> {
  const { where, params } = buildCaseFilter(ADMIN as never, filter);
  if (params.length) throw new Error('the COPY floor takes a filter without bound values');
  const db = new Client({ connectionString: databaseUrl, application_name: 'bench-copy' });
  await db.connect();
  try {
    const t0 = process.hrtime.bigint();
    const copy = new CopyOutCounter(`COPY (${exportSelect(where)}) TO STDOUT WITH CSV`);
    void db.query(copy as never);
    await copy.finished;
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes: copy.bytes, lines: copy.lines };
  } finally {
    await db.end();
  }
}

/** Downloads `path`, counting bytes and lines, without keeping the body. */
async function download(url: string, token: string): Promise<{ seconds: number; bytes: number; lines: number }> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes, lines };
}

export async function measureExport(
  appUrl: string,
  adminToken: string,
  databaseUrl: string,
  mem: MemorySampler,
  log: (line: string) => void,
  options: { xlsxRows?: number; today: string; cases: number; filter?: Record<string, string> },
): Promise<ExportMeasure> {
  const filter = options.filter ?? {};
  const copy = await copyFloor(databaseUrl, filter);
  log(`  COPY: ${copy.lines} rows, ${round(copy.bytes / 1e6)} MB in ${round(copy.seconds, 2)} s`);
  const rssBeforeMb = mem.takeWindowPeakMb();
  const app = await download(`${appUrl}/api/v1/cases/export.csv?${new URLSearchParams(filter)}`, adminToken);
  const rssPeakMb = mem.takeWindowPeakMb();
  const rows = app.lines - 1; // the header
  log(`  app CSV: ${rows} rows, ${round(app.bytes / 1e6)} MB in ${round(app.seconds, 2)} s (RSS ${rssBeforeMb} -> peak ${rssPeakMb} MB)`);
  if (rows !== copy.lines) throw new Error(`export: the app wrote ${rows} rows, COPY ${copy.lines}`);
  const result: ExportMeasure = {
    rows,
    copy: { seconds: round(copy.seconds, 2), mb: round(copy.bytes / 1e6), mbPerSec: round(copy.bytes / 1e6 / copy.seconds), rowsPerSec: Math.round(copy.lines / copy.seconds) },
    app: {
      seconds: round(app.seconds, 2),
      mb: round(app.bytes / 1e6),
      mbPerSec: round(app.bytes / 1e6 / app.seconds),
      rowsPerSec: Math.round(rows / app.seconds),
      rssBeforeMb,
      rssPeakMb,
    },
    ratio: round(copy.seconds / app.seconds, 2),
  };
  if (options.xlsxRows) {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const newest = await newestCasesFilter(db, options.xlsxRows).finally(() => db.end());
    const q = new URLSearchParams({ ...filter, ...newest.query });
    const xlsxRssBeforeMb = mem.takeWindowPeakMb();
    const xlsx = await download(`${appUrl}/api/v1/cases/export.xlsx?${q}`, adminToken);
    const n = newest.rows;
    const rowsPerSec = Math.round(n / xlsx.seconds);
    result.xlsx = {
      rows: n,
      seconds: round(xlsx.seconds, 2),
      rowsPerSec,
      mb: round(xlsx.bytes / 1e6),
      rssBeforeMb: xlsxRssBeforeMb,
      rssPeakMb: mem.takeWindowPeakMb(),
      rowsPerSecToCsv: round(rowsPerSec / result.app.rowsPerSec, 2),
    };
    log(
      `  app .xlsx: ${n} rows, ${result.xlsx.mb} MB in ${result.xlsx.seconds} s (${rowsPerSec} rows/s, ${result.xlsx.rowsPerSecToCsv} of the CSV's rows/s; RSS ${xlsxRssBeforeMb} -> peak ${result.xlsx.rssPeakMb} MB)`,
    );
  }
  return result;
}
