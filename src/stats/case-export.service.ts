import { Injectable } from '@nestjs/common';
import { escapeLiteral } from 'pg';
import { AuthUser } from '../accounts-core/auth-user';
import { maskIdNumberSql } from '../accounts-core/scope';
import { buildCaseFilter } from '../cases/case-query';
import { CaseFilterQuery } from '../cases/dto/list-cases.query';
import { InteractiveRequests } from '../heavy-reads/interactive-requests';
import { CASE_SOURCE_LABELS, CASE_STATUS_LABELS, CONFIRMATION_STATUS_LABELS, DISPUTE_TYPE_LABELS } from '../labels/labels';
import { CaseExportRepository, EXPORT_COLUMNS, exportSelectOf, ExportRow } from './case-export.repository';
import { CSV_BOM, csvLine, csvText, sqlCsvPlain, sqlCsvText, sqlCsvTextConstant, sqlCsvVerbatim, sqlCsvVerbatimNumeric } from './csv';

/**
 * Rows of the first query; each next batch is twice as large, up to EXPORT_MAX_BATCH_SIZE: the
 * first bytes go out soon, and a large export makes few round trips. The export never holds more than
 * one batch in memory (2,000 rows: about a megabyte of rows and their text).
 */
export const EXPORT_BATCH_SIZE = 500;
export const EXPORT_MAX_BATCH_SIZE = 2000;

export type { ExportRow } from './case-export.repository';

/**
 * csvText of a code's Chinese label from src/labels, or of the code itself if it has none, in SQL:
 * `CASE expr WHEN code THEN label ... ELSE sqlCsvText(expr) END` with each label already a finished
 * cell (sqlCsvTextConstant), so that a row pays one CASE and no formula guard for a known code.
 */
function sqlCsvLabel(expr: string, labels: Record<string, string>): string {
  const whens = Object.entries(labels).map(([code, zh]) => `WHEN ${escapeLiteral(code)} THEN ${sqlCsvTextConstant(zh)}`);
  return `CASE ${expr} ${whens.join(' ')} ELSE ${sqlCsvText(expr)} END`;
}

/** The export's columns (repository's EXPORT_COLUMNS) in parentheses, for the cells' SQL below. */
const col = Object.fromEntries(Object.entries(EXPORT_COLUMNS).map(([name, sql]) => [name, `(${sql})`])) as Record<keyof ExportRow, string>;

/**
 * The CSV's columns: header and cell as SQL over the export's columns (EXPORT_COLUMNS), with the
 * rules of src/stats/csv.ts (sqlCsv*: csvText, csvVerbatim, csvPlain) and of src/auth/scope.ts
 * (identity numbers always masked in exports). PostgreSQL computes each cell from the joined row
 * (exportSelectOf: in the parallel workers); a cell's SQL may read its value more than once, which
 * costs nothing for a column and a second masking for the identity number.
 */
export const CSV_COLUMNS: Array<[header: string, cell: string]> = [
  ['案件编号', sqlCsvVerbatim(col.case_number)],
  ['工作室', sqlCsvText(col.workstation_name)],
  ['案件来源', sqlCsvLabel(col.source, CASE_SOURCE_LABELS)],
  ['法院案号', sqlCsvVerbatim(col.court_case_number)],
  ['纠纷类型', sqlCsvLabel(col.dispute_type, DISPUTE_TYPE_LABELS)],
  ['案件状态', sqlCsvLabel(col.status, CASE_STATUS_LABELS)],
  ['申请人', sqlCsvText(col.applicant_name)],
  ['申请人身份证号', sqlCsvText(`(${maskIdNumberSql(col.applicant_id_number)})`)],
  ['被申请人', sqlCsvText(col.respondent_name)],
  ['统一社会信用代码', sqlCsvVerbatim(col.respondent_credit_code)],
  ['涉及人数', sqlCsvPlain(`${col.worker_count}::text`)],
  ['请求金额（元）', sqlCsvVerbatimNumeric(col.claim_amount)],
  ['调解员', sqlCsvText(col.mediator_name)],
  ['收案时间', sqlCsvPlain(col.received_at)],
  ['调解期限', sqlCsvPlain(col.deadline_date)],
  ['是否超期', `CASE WHEN ${col.overdue} THEN '是' ELSE '否' END`],
  ['结案时间', sqlCsvPlain(col.concluded_at)],
  ['协议金额（元）', sqlCsvVerbatimNumeric(col.agreed_amount)],
  ['司法确认', sqlCsvLabel(col.confirmation_status, CONFIRMATION_STATUS_LABELS)],
  ['司法确认文书号', sqlCsvText(col.ruling_number)],
  ['案情摘要', sqlCsvText(col.summary)],
];

/**
 * The export's SELECT with every cell finished for COPY ... WITH (FORMAT csv), in exportSelect's
 * rows and order. One query level (no subquery over exportSelect): the cells are computed with the
 * joins, in the parallel workers of a parallel plan. (A projection over an OFFSET 0 subquery of
 * exportSelect, which computed each label and mask once, ran above the Gather Merge: every cell in
 * the one backend that also merges the workers' rows and writes the CSV.)
 */
export function csvExportSelect(where: string): string {
  return exportSelectOf(
    CSV_COLUMNS.map(([, cell]) => cell),
    where,
  );
}

/** Bytes of CSV gathered for one write to the response. */
export const CSV_WRITE_SIZE = 256 * 1024;

/**
 * The longest a CSV export pauses between two writes for the interactive requests in flight to end
 * (InteractiveRequests.whenIdle): under constant traffic it still moves, at a fraction of its speed.
 */
export const EXPORT_YIELD_MAX_MS = 50;

const CSV_HEADER = Buffer.from(CSV_BOM + csvLine(CSV_COLUMNS.map(([title]) => csvText(title))), 'utf8');

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The bytes of the response gathered into writes of `size`: each byte of COPY's output is copied
 * once, into the write it goes out with. (A converted copy of each chunk, then a concatenation of
 * the copies, allocated three times the CSV's size in short-lived Buffers, which the garbage
 * collector frees late: tens of MB of resident memory during an export.)
 */
export class WriteBatches {
  private current: Buffer;
  private used = 0;
  private readonly full: Buffer[] = [];

  constructor(private readonly size: number) {
    this.current = Buffer.allocUnsafe(size);
  }

  append(source: Buffer, start = 0, end = source.length): void {
    while (start < end) {
      const copied = source.copy(this.current, this.used, start, end);
      this.used += copied;
      start += copied;
      if (this.used === this.size) this.startNext();
    }
  }

  appendByte(byte: number): void {
    this.current[this.used++] = byte;
    if (this.used === this.size) this.startNext();
  }

  /** The writes filled so far. */
  takeFull(): Buffer[] {
    return this.full.splice(0);
  }

  /** The writes filled so far and what the current one holds. */
  takeAll(): Buffer[] {
    if (this.used) {
      this.full.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(this.size);
      this.used = 0;
    }
    return this.takeFull();
  }

  private startNext(): void {
    this.full.push(this.current);
    this.current = Buffer.allocUnsafe(this.size);
    this.used = 0;
  }
}

/**
 * COPY's LF record ends as CRLF (csv.ts's CSV_LINE_END, which Excel and the e2e tests expect; COPY
 * cannot write it). A line break inside a quoted cell stays as it is: an LF ends a record only after
 * an even number of quotes (every quote of COPY's CSV opens, closes or doubles). Byte scans with
 * indexOf: UTF-8 never has these bytes inside a multi-byte character.
 */
export class CrlfRecords {
  private inQuotes = false;

  /** Appends `chunk` to `out` with its record ends turned into CRLF. */
  convertInto(chunk: Buffer, out: WriteBatches): void {
    let quote = chunk.indexOf(QUOTE);
    let lf = chunk.indexOf(LF);
    let inQuotes = this.inQuotes;
    let from = 0;
    while (lf !== -1) {
      if (quote !== -1 && quote < lf) {
        inQuotes = !inQuotes;
        quote = chunk.indexOf(QUOTE, quote + 1);
        continue;
      }
      if (!inQuotes) {
        out.append(chunk, from, lf);
        out.appendByte(CR);
        from = lf;
      }
      lf = chunk.indexOf(LF, lf + 1);
    }
    for (; quote !== -1; quote = chunk.indexOf(QUOTE, quote + 1)) inQuotes = !inQuotes;
    this.inQuotes = inQuotes;
    out.append(chunk, from);
  }
}

/**
 * The case list as CSV, with the list's filters and scope (buildCaseFilter), newest first, written
 * whole by PostgreSQL (COPY of csvExportSelect) and streamed to the client with only the line ends
 * changed, in constant memory. The .xlsx reads the rows in growing batches from one cursor
 * (CaseExportRepository.batches). Identity numbers are always masked in exports.
 */
@Injectable()
export class CaseExportService {
  constructor(
    private readonly cases: CaseExportRepository,
    private readonly interactive: InteractiveRequests,
  ) {}

  /**
   * Yields to the other users' requests (issue 17, bench `burst`): one that starts while they are
   * working reads in key-range chunks without parallel workers (copyCsvChunks) and pauses between
   * two chunks while any is in flight, up to EXPORT_YIELD_MAX_MS each time, with its backend idle.
   * Alone, it runs at full speed: one COPY, and between its writes the same pauses (then its COPY's
   * socket fills and its backend waits).
   */
  async *csv(user: AuthUser, filter: CaseFilterQuery): AsyncGenerator<Buffer> {
    const records = new CrlfRecords();
    const out = new WriteBatches(CSV_WRITE_SIZE);
    // The header goes out with the first rows, so that a failing COPY fails before anything is sent.
    out.append(CSV_HEADER);
    const serial = this.interactive.recentlyBusy();
    const lines = this.cases.csvLines(buildCaseFilter(user, filter, 'c'), csvExportSelect, { serial });
    for await (const chunk of lines) {
      if (!chunk.length) {
        // The end of a serial export's chunk: nothing runs on the server until the next is asked for,
        // so waiting here leaves PostgreSQL's core and this event loop to the requests in flight.
        yield* out.takeAll();
        const idle = this.interactive.whenIdle(EXPORT_YIELD_MAX_MS);
        if (idle) await idle;
        continue;
      }
      records.convertInto(chunk, out);
      // Few large writes to the response: a write of COPY's small chunks each would wait for the socket in turn.
      const full = out.takeFull();
      if (full.length) {
        yield* full;
        if (!serial) {
          const idle = this.interactive.whenIdle(EXPORT_YIELD_MAX_MS);
          if (idle) await idle;
        }
      }
    }
    yield* out.takeAll();
  }

  /** The rows of the export, a batch at a time (the last batch may be empty). */
  rowBatches(user: AuthUser, filter: CaseFilterQuery, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<ExportRow[]> {
    return this.cases.batches(buildCaseFilter(user, filter, 'c'), batchSize, Math.max(batchSize, EXPORT_MAX_BATCH_SIZE));
  }
}
