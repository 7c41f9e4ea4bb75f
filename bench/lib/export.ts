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
  /** The app's rows per second ÷ COPY's (the same rows), from the medians of the rounds. */
  ratio: number;
  /** Each round's pair (COPY and the app, one after the other). */
  rounds?: Array<{ copySeconds: number; appSeconds: number }>;
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

const medianBySeconds = <T extends { seconds: number }>(xs: T[]): T => [...xs].sort((a, b) => a.seconds - b.seconds)[Math.floor((xs.length - 1) / 2)];

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
  options: { xlsxRows?: number; today: string; cases: number; filter?: Record<string, string>; rounds?: number },
): Promise<ExportMeasure> {
  const filter = options.filter ?? {};
  // COPY and the app in turn, `rounds` times (the order swapped every round), compared by their
  // medians: one pair alone says as much about the neighbours on a shared machine as about the app.
  const rounds = Math.max(1, options.rounds ?? 3);
  const copies: Array<{ seconds: number; bytes: number; lines: number }> = [];
  const apps: Array<{ seconds: number; bytes: number; lines: number }> = [];
  const rssBeforeMb = mem.takeWindowPeakMb();
  let rssPeakMb = rssBeforeMb;
  const runCopy = async () => {
    const copy = await copyFloor(databaseUrl, filter);
    copies.push(copy);
    log(`  COPY: ${copy.lines} rows, ${round(copy.bytes / 1e6)} MB in ${round(copy.seconds, 2)} s`);
  };
  const runApp = async () => {
    mem.takeWindowPeakMb();
    const app = await download(`${appUrl}/api/v1/cases/export.csv?${new URLSearchParams(filter)}`, adminToken);
    const peak = mem.takeWindowPeakMb();
    rssPeakMb = Math.max(rssPeakMb, peak);
    apps.push(app);
    log(`  app CSV: ${app.lines - 1} rows, ${round(app.bytes / 1e6)} MB in ${round(app.seconds, 2)} s (RSS peak ${peak} MB)`);
  };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      await runCopy();
      await runApp();
    } else {
      await runApp();
      await runCopy();
    }
  }
  const copy = medianBySeconds(copies);
  const app = medianBySeconds(apps);
  const rows = app.lines - 1; // the header
  for (const a of apps) if (a.lines - 1 !== copy.lines) throw new Error(`export: the app wrote ${a.lines - 1} rows, COPY ${copy.lines}`);
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
    rounds: copies.map((c, i) => ({ copySeconds: round(c.seconds, 2), appSeconds: round(apps[i].seconds, 2) })),
  };
  log(`  CSV medians of ${rounds}: COPY ${result.copy.seconds} s, app ${result.app.seconds} s, ratio ${result.ratio}`);
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
