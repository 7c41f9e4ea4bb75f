import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral } from 'pg';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource, QueryRunner } from 'typeorm';
import { CaseSource, CaseStatus, DisputeType } from '../case-core/case-lifecycle';
import type { SqlWhere } from '../cases/case-query';

/** A case as the exports write it. */
export interface ExportRow {
  id: string;
  case_number: string;
  workstation_name: string;
  source: CaseSource;
  court_case_number: string | null;
  dispute_type: DisputeType;
  status: CaseStatus;
  applicant_name: string;
  applicant_id_number: string | null;
  respondent_name: string;
  respondent_credit_code: string | null;
  worker_count: number;
  claim_amount: string;
  mediator_name: string | null;
  received_at: string;
  /** The last day of the mediation period (24:00 of day N is stored as 00:00 of day N+1: shown as day N). */
  deadline_date: string;
  overdue: boolean;
  concluded_at: string | null;
  agreed_amount: string | null;
  confirmation_status: string | null;
  ruling_number: string | null;
  summary: string;
}

const shanghaiMinute = (column: string) => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;
/** The calendar day a period ending at `column` ends on: 00:00 of day N+1 (24:00 of day N) is day N. */
const lastShanghaiDay = (column: string) => `to_char((${column} - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

/**
 * The export's columns (ExportRow's fields, in its order) as SQL over its joins (exportSelectOf: cases c,
 * workstations w, users u, agreements a, confirmations k). The CSV's cells are SQL over these same
 * expressions (src/stats/case-export.service.ts CSV_COLUMNS), in the same one query level.
 */
export const EXPORT_COLUMNS: Record<keyof ExportRow, string> = {
  id: 'c.id',
  case_number: 'c.case_number',
  workstation_name: 'w.name',
  source: 'c.source',
  court_case_number: 'c.court_case_number',
  dispute_type: 'c.dispute_type',
  status: 'c.status',
  applicant_name: 'c.applicant_name',
  applicant_id_number: 'c.applicant_id_number',
  respondent_name: 'c.respondent_name',
  respondent_credit_code: 'c.respondent_credit_code',
  worker_count: 'c.worker_count',
  claim_amount: 'c.claim_amount::text',
  mediator_name: 'u.display_name',
  received_at: shanghaiMinute('c.received_at'),
  deadline_date: lastShanghaiDay('c.deadline_at'),
  overdue: 'c.overdue',
  concluded_at: shanghaiMinute('c.concluded_at'),
  agreed_amount: 'a.agreed_amount::text',
  confirmation_status: 'k.status',
  ruling_number: 'k.ruling_number',
  summary: 'c.summary',
};

/** The export's rows over the list's WHERE (cases c), newest first; also what the bench's COPY floor reads. */
export function exportSelect(where: string): string {
  const columns = Object.entries(EXPORT_COLUMNS).map(([name, sql]) => (sql.endsWith(`.${name}`) ? sql : `${sql} AS ${name}`));
  return exportSelectOf(columns, where);
}

/**
 * `SELECT columns` (SQL over EXPORT_COLUMNS' joins) of the export's rows over the list's WHERE (cases
 * c), newest first: one query level, so that PostgreSQL computes the columns where it joins the rows
 * (in the parallel workers of a parallel plan, before the sort) rather than one by one in the backend
 * that sends them.
 */
export function exportSelectOf(columns: string[], where: string): string {
  return `SELECT ${columns.join(', ')}
     FROM cases c
     JOIN workstations w ON w.id = c.workstation_id
     LEFT JOIN users u ON u.id = c.mediator_id
     LEFT JOIN agreements a ON a.case_id = c.id AND a.superseded_at IS NULL
     LEFT JOIN confirmations k ON k.case_id = c.id AND k.superseded_at IS NULL
     WHERE ${where}
     ORDER BY c.received_at DESC, c.id DESC`;
}

/**
 * `where` with its bind parameters ($1, $2, ...) written as SQL literals, for COPY, which takes
 * none: strings through pg's escapeLiteral (an untyped literal takes its type from the context, as
 * the parameter did), dates as ISO instants, arrays as ARRAY[...] of those. Anything else is refused.
 */
export function inlineParams(where: string, params: readonly unknown[]): string {
  const literal = (value: unknown): string => {
    if (typeof value === 'string') return escapeLiteral(value);
    if (value instanceof Date && !Number.isNaN(value.getTime())) return escapeLiteral(value.toISOString());
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'boolean') return String(value);
    if (Array.isArray(value) && value.length) return `ARRAY[${value.map(literal).join(', ')}]`;
    throw new Error(`inlineParams: cannot write ${typeof value} as an SQL literal`);
  };
  return where.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`inlineParams: no value for $${n}`);
    return literal(params[i]);
  });
}

/** The export's reads: the rows of a filtered case list, a batch at a time. */
@Injectable()
export class CaseExportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The rows matching `filter` (the case list's WHERE over cases c), newest first, in batches of
   * `firstBatch` rows growing to `maxBatch`: one query read through a cursor, in one read-only
   * snapshot, so that the export is consistent and PostgreSQL plans it as one scan with hash joins
   * (as COPY would) rather than an index probe per row and batch. The cursor's connection is held
   * for the export (exports are limited per user: src/heavy-reads); a client that stops reading
   * for IDLE_LIMIT ends it.
   */
  async *batches(filter: SqlWhere, firstBatch: number, maxBatch: number): AsyncGenerator<ExportRow[]> {
    // The whole result is wanted: plan for it, not for the first rows.
    yield* inExportSnapshot(this.db, 'SET LOCAL cursor_tuple_fraction = 1.0', async function* (runner) {
      await runner.query(`DECLARE case_export NO SCROLL CURSOR FOR ${exportSelect(filter.where)}`, filter.params);
      for (let size = firstBatch; ; size = Math.min(size * 2, Math.max(firstBatch, maxBatch))) {
        const rows: ExportRow[] = await runner.query(`FETCH ${size} FROM case_export`);
        yield rows;
        if (rows.length < size) break;
      }
    });
  }

  /**
   * The export's finished CSV lines (csvExportSelect over the list's WHERE), written by PostgreSQL with
   * LF line ends. Serial: in key-range chunks (copyCsvChunks), each followed by an empty buffer.
   */
  csvLines(filter: SqlWhere, csvSelect: (where: string) => string, options: CopyOptions = {}): AsyncGenerator<Buffer> {
    const where = inlineParams(filter.where, filter.params);
    if (options.serial) return copyCsvChunks(this.db, where, csvSelect, EXPORT_CHUNK_ROWS);
    return copyCsvOut(this.db, csvSelect(where), options);
  }
}

export interface CopyOptions {
  /**
   * For an export that starts while other users are working: read in key-range chunks of
   * EXPORT_CHUNK_ROWS, each its own small COPY planned without parallel workers, so that the
   * consumer may pause between two chunks with the backend idle (copyCsvChunks). Otherwise one COPY
   * of the whole scope, at full speed.
   */
  serial?: boolean;
}

/**
 * Rows of one chunk of a serial export: one chunk's COPY keeps its backend busy for some tens of
 * milliseconds (index probes of agreements and confirmations per case), the longest the export
 * holds a core without a chance to yield.
 */
export const EXPORT_CHUNK_ROWS = 1000;

/** The key of the export's order (exportSelect: received_at DESC, id DESC) as SQL literals, exact to the microsecond. */
interface ChunkKey {
  received_at: string;
  id: string;
}

const rowKey = (key: ChunkKey) => `(${escapeLiteral(key.received_at)}::timestamptz, ${escapeLiteral(key.id)}::uuid)`;

/**
 * The export's CSV lines as copyCsvOut writes them, in the same order and the same snapshot, but
 * pulled a chunk at a time: the key at the end of the next `chunkRows` rows (an index-only walk of
 * cases in the export's order), then a COPY of the rows between the previous key and it, after
 * which an empty buffer marks a place where the consumer may wait (nothing runs on the server until
 * it asks for more). Each chunk is planned with index probes per case rather than hash joins: a
 * hash join reads the whole of agreements and confirmations for every chunk (for a workstation's
 * export in one COPY too: seq scans of 666k and 562k rows for 53k cases), and cannot be paused.
 */
export function copyCsvChunks(db: DataSource, where: string, csvSelect: (where: string) => string, chunkRows: number): AsyncGenerator<Buffer> {
  // Small statements: JIT compiling would cost more than it saves; and the plan walks the index in order with probes.
  const settings = 'SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off';
  return inExportSnapshot(db, settings, async function* (runner) {
    let after: ChunkKey | null = null;
    for (;;) {
      const from: string = after ? ` AND (c.received_at, c.id) < ${rowKey(after)}` : '';
      const last: ChunkKey[] = await runner.query(
        `SELECT c.received_at::text AS received_at, c.id::text AS id FROM cases c WHERE (${where})${from}
         ORDER BY c.received_at DESC, c.id DESC OFFSET ${chunkRows - 1} LIMIT 1`,
      );
      const to = last.length ? ` AND (c.received_at, c.id) >= ${rowKey(last[0])}` : '';
      yield* copyOut(db, runner, csvSelect(`(${where})${from}${to}`));
      if (!last.length) break;
      after = last[0];
      yield EMPTY;
    }
  });
}

const EMPTY = Buffer.alloc(0);

/**
 * The finished CSV lines, without the header, of COPY (`select`) TO STDOUT WITH (FORMAT csv), as
 * PostgreSQL writes them (LF line ends), in one read-only snapshot, streamed with backpressure:
 * the socket is not read while the consumer does not take the next chunk. A consumer that stops
 * early (return(), the client gone) cancels the COPY on the server and ends the transaction.
 */
export function copyCsvOut(db: DataSource, select: string, options: CopyOptions = {}): AsyncGenerator<Buffer> {
  return inExportSnapshot(db, options.serial ? 'SET LOCAL max_parallel_workers_per_gather = 0' : '', (runner) => copyOut(db, runner, select));
}

/**
 * `body` on one connection inside a read-only repeatable-read transaction (the export's one
 * snapshot), with no statement timeout and IDLE_LIMIT for a client that stops reading, plus
 * `settings` (SET LOCAL statements). Committed when `body` ends; rolled back when it fails or its
 * consumer stops early.
 */
async function* inExportSnapshot<T>(db: DataSource, settings: string, body: (runner: QueryRunner) => AsyncGenerator<T>): AsyncGenerator<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  let open = false;
  try {
    await runner.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    open = true;
    await runner.query(`SET LOCAL idle_in_transaction_session_timeout = '${IDLE_LIMIT}'; SET LOCAL statement_timeout = 0${settings ? '; ' + settings : ''}`);
    yield* body(runner);
    await runner.query('COMMIT');
    open = false;
  } finally {
    // A late cancel of a COPY may hit the first ROLLBACK (it ends only the statement it meets): then the second one runs.
    if (open)
      await runner
        .query('ROLLBACK')
        .catch(() => runner.query('ROLLBACK'))
        .catch(() => undefined);
    await runner.release();
  }
}

/** One COPY (`select`) TO STDOUT on the runner's connection (in its transaction), cancelled on the server when the consumer stops early. */
async function* copyOut(db: DataSource, runner: QueryRunner, select: string): AsyncGenerator<Buffer> {
  const client = (await runner.connect()) as PoolClient & { processID?: number };
  const copy = client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv)`, { highWaterMark: COPY_BUFFER }));
  const settled = new Promise<void>((resolve) => {
    copy
      .once('end', resolve)
      .once('error', () => resolve())
      .once('close', resolve);
  });
  let finished = false;
  try {
    for await (const chunk of copy.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) yield chunk;
    finished = true;
  } finally {
    if (!finished) {
      // Stopped early: cancel the COPY, and read on, discarding, until it ends: a server blocked on a
      // full socket does not act on the cancel, and the connection is free only after its error.
      if (client.processID) await db.query('SELECT pg_cancel_backend($1)', [client.processID]).catch(() => undefined);
      copy.on('data', () => undefined).resume();
      await settled;
    }
  }
}

/** Bytes of COPY output buffered before the connection's socket is paused (backpressure). */
const COPY_BUFFER = 1024 * 1024;

/** How long an export's transaction may wait for its client to take the next batch. */
const IDLE_LIMIT = '2min';
